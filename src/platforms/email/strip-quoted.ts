import { MOBILE_FOOTER, QUOTE_HEADERS, QUOTED_FROM } from '../words/mail-patterns.ts';

/**
 * The new part of a follow-up: what the customer wrote above the history their mail client quoted,
 * without their signature. Mail clients quote in a few ways, which are cut at their first line:
 * "On … wrote:" (Gmail, Apple Mail; Gmail may wrap it onto two lines), the Japanese forms
 * ("2026年12月1日(月) 10:00 山田 <…>:" and "…のメッセージ:"), Outlook's "-----Original Message-----"
 * or a rule followed by From:/差出人:, and lines starting with ">". Signatures are cut at the "-- "
 * delimiter, a mobile footer ("Sent from my iPhone", "iPhoneから送信"), or a ruled line near the
 * end. When nothing would be left, the whole text is kept: losing a customer's words is worse
 * than showing some history. The full text stays in the mailbox under the mail's Message-ID.
 */

const RULE = /^[_\-=─━―＝＊*~〜]{8,}$/;
/** A ruled line this near the end (in lines) starts a signature rather than the customer's text. */
const SIGNATURE_LINES = 12;

export function stripQuoted(text: string): { text: string; stripped: boolean } {
  const lines = text.split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const joined = `${line} ${lines[i + 1]?.trim() ?? ''}`.trim();
    const outlook = RULE.test(line) && QUOTED_FROM.test(lines[i + 1]?.trim() ?? '');
    if (QUOTE_HEADERS.some((re) => re.test(line)) || QUOTE_HEADERS[0]!.test(joined) || outlook) {
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  kept = cutSignature(kept);
  const result = kept.join('\n').trim();
  if (!result) return { text, stripped: false };
  return { text: result, stripped: result !== text.trim() };
}

function cutSignature(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '--' || MOBILE_FOOTER.test(line.trim())) return lines.slice(0, i);
    if (RULE.test(line.trim()) && lines.length - i <= SIGNATURE_LINES && i > 0) return lines.slice(0, i);
  }
  return lines;
}
