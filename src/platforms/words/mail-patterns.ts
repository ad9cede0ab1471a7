/**
 * What mail clients write around a customer's words, in Japanese and English: the lines that start
 * quoted history, mobile footers, and reply prefixes in subjects. koe reads these (it never says
 * them), and they live beside the words so the platforms hold no Japanese of their own.
 */

/** A line that starts the history a mail client quoted under a reply. */
export const QUOTE_HEADERS: readonly RegExp[] = [
  // Gmail, Apple Mail: "On Sat, Dec 5, 2026 at 10:00 AM Name <addr> wrote:"
  /^On .{4,200} wrote:$/,
  // Gmail in Japanese: "2026年12月5日(土) 10:00 Name <addr>:"
  /^\d{4}[年/.-]\s?\d{1,2}[月/.-]\s?\d{1,2}日?.{0,120}[:：]$/,
  /^.{1,200}(のメッセージ|からのメール|さんは書きました)[:：]$/,
  // Outlook, Thunderbird: "-----Original Message-----", forwarded blocks
  /^-{2,}\s*(Original Message|元のメッセージ|Forwarded message|転送されたメッセージ)\s*-{2,}$/i,
  /^(From|差出人|送信者)[:：]\s.+$/,
];

/** Outlook's quoted header block after a rule: "From:" / "差出人:". */
export const QUOTED_FROM = /^(From|差出人|送信者)[:：]/;

/** A footer a mobile client adds, which starts the signature. */
export const MOBILE_FOOTER = /^(Sent from my .{2,40}|.{2,30}から送信|Get Outlook for .{2,30})$/i;

/** Reply and forward prefixes in a subject ("Re:", "AW:", "返信:", "転送:"), one or more. */
export const REPLY_PREFIX = /^\s*((re|aw|sv|fw|fwd|返信|転送)\s*[:：]\s*)+/i;
