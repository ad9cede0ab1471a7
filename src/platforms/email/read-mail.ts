import { createHash } from 'node:crypto';
import { type AddressObject, simpleParser } from 'mailparser';

/**
 * One mail as koe reads it: who wrote (decoded display name and address), the subject, the text
 * (an HTML-only mail converted to text), attachments by name, type and size (never stored), and the
 * headers threading and the loop guards need. mailparser decodes the charsets Japanese mail still
 * uses (ISO-2022-JP, Shift_JIS, EUC-JP), quoted-printable and base64 bodies, and MIME-encoded words.
 */
export interface IncomingMail {
  /** The Message-ID with its angle brackets (`<…@…>`); one derived from the bytes when a mail has none. */
  messageId: string;
  /** Message-IDs this mail answers: In-Reply-To first, then References newest first, without repeats. */
  answers: string[];
  from: { address: string; name: string | null } | null;
  /** Where an answer goes: Reply-To, else From. */
  replyTo: string | null;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** The Date header, epoch ms, when present and readable. */
  date: number | null;
  attachments: Array<{ name: string; type: string; size: number }>;
  /** Header names (lowercase) → raw values, for the loop guards. */
  headers: Map<string, string>;
}

const MESSAGE_ID = /<[^<>\s]+>/g;

function addressesOf(field: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list
    .flatMap((o) => o.value.flatMap((a) => (a.group ? a.group : [a])) as Array<{ address?: string; name: string }>)
    .filter((a) => a.address)
    .map((a) => ({ address: a.address!, name: a.name }));
}

/** The Message-IDs in a header value (`<a@b> <c@d>`), in order. */
export function messageIdsIn(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return text.match(MESSAGE_ID) ?? [];
}

export async function readMail(source: Buffer): Promise<IncomingMail> {
  const parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true });
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) {
    const value = line.line.slice(line.line.indexOf(':') + 1).trim();
    if (!headers.has(line.key)) headers.set(line.key, value);
  }
  const from = addressesOf(parsed.from)[0];
  const replyTo = addressesOf(parsed.replyTo)[0]?.address ?? from?.address ?? null;
  const answers = [...messageIdsIn(parsed.inReplyTo), ...messageIdsIn(parsed.references).reverse()];
  // A mail without a Message-ID still needs one id across restarts: its bytes give it.
  const messageId =
    messageIdsIn(parsed.messageId)[0] ?? `<sha256.${createHash('sha256').update(source).digest('hex')}@koe.invalid>`;
  return {
    messageId,
    answers: [...new Set(answers)].filter((id) => id !== messageId),
    from: from ? { address: from.address, name: from.name.trim() || null } : null,
    replyTo,
    to: addressesOf(parsed.to).map((a) => a.address),
    cc: addressesOf(parsed.cc).map((a) => a.address),
    subject: (parsed.subject ?? '').trim(),
    text: normaliseText(parsed.text ?? ''),
    date: parsed.date && Number.isFinite(parsed.date.getTime()) ? parsed.date.getTime() : null,
    attachments: parsed.attachments
      .filter((a) => a.contentDisposition === 'attachment' || a.filename)
      .map((a) => ({ name: a.filename ?? '', type: a.contentType, size: a.size })),
    headers,
  };
}

/** Line ends as \n, no trailing spaces, at most one blank line in a row (HTML conversion leaves several). */
function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
