// Every sentence koe says in chat, in one locale, with sample arguments: the words of
// src/platforms/words (each function called) and the digest's words over a real digest.
import { DEFAULT_REASONS, type Locale } from '../../src/core/reasons/taxonomy.ts';
import { digestWords } from '../../src/platforms/digest-words.ts';
import { type Words, wordsFor } from '../../src/platforms/words/index.ts';
import { bigDigest, emptyDigest } from './sample-digest.ts';

/** Every parameter of every function in `T`, as one union. */
type ParamsOf<T> = T extends (...args: infer A) => unknown
  ? A[number]
  : T extends object
    ? { [K in keyof T]: ParamsOf<T[K]> }[keyof T]
    : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * One object that serves as every parameter of the words, built from the `Words` type: each field
 * any sentence reads is required here (so a parameter added to the words without a sample is a
 * type error, not a sentence reading "undefined"), and it is also a number (`valueOf`) and a string
 * (`toString`) for the sentences that take those.
 */
export type Sample = Required<UnionToIntersection<Exclude<ParamsOf<Words>, string | number | null | undefined>>>;

export const SAMPLE: Sample & { valueOf(): number; toString(): string } = {
  locale: 'ja',
  command: '/koe',
  ok: false,
  code: 'ALREADY_CLAIMED',
  id: 12,
  inquiryId: 12,
  user: '@sato',
  holder: '@sato',
  reason: 'billing2',
  validReasons: ['billing', 'bug'],
  message: 'Sample message.',
  issues: [{ path: 'note', message: 'too long' }],
  // A failure's `by` is a person; a reply line's is a name. Both read as a name here.
  by: 'Alice' as Sample['by'],
  at: '12:00',
  error: 'no access',
  customer: 'Yamada',
  channel: '#help',
  source: 'web',
  url: 'https://example.com/t/12',
  where: 'Yamada, #help',
  undoSeconds: 10,
  thread: 12,
  given: 13,
  length: 2100,
  max: 2000,
  subject: 'Invoice',
  target: 'first_response',
  level: 'due_soon',
  due: '12/4 12:00',
  owner: 'Sato',
  gist: 'Invoice',
  valueOf: () => 12,
  toString: () => '12',
};

/** Every sentence of `value`, by path: strings as they are, functions called with the sample. */
function sentences(value: unknown, path: string, sample: object): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function')
    return [[`${path}()`, String((value as (...a: unknown[]) => unknown)(sample, sample, sample))]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => sentences(v, path ? `${path}.${key}` : key, sample));
  throw new Error(`${path}: ${typeof value} is not a sentence`);
}

/** The chat words of `locale`, including the branches the sample does not reach (no role, no holder, no name). */
export function chatSentences(locale: Locale): Array<[string, string]> {
  const w = wordsFor(locale);
  const c = { locale, command: '/koe' };
  const sample = { ...SAMPLE, locale };
  return [
    ...sentences(w, '', sample),
    ['refusals.notStaff(null)', w.refusals.notStaff(null)],
    ['labels.autoReason(null)', w.labels.autoReason(null)],
    ['failures.ALREADY_CLAIMED (no holder)', w.failures.ALREADY_CLAIMED(c, { ok: false, code: 'ALREADY_CLAIMED' }, {})],
    ['failures.INVALID_INPUT (no message)', w.failures.INVALID_INPUT(c, { ok: false, code: 'INVALID_INPUT' }, {})],
    ['failures.NOT_FOUND (no number)', w.failures.NOT_FOUND(c, { ok: false, code: 'NOT_FOUND' }, {})],
    ['failures.UNKNOWN_REASON (no id)', w.failures.UNKNOWN_REASON(c, { ok: false, code: 'UNKNOWN_REASON' }, {})],
    ['success.assigned (no user)', w.success.assigned({ id: 12 })],
    [
      'replies.where.slack (unknown customer)',
      w.replies.where.slack({ customer: w.labels.unknownCustomer, channel: '#help' }),
    ],
    ['replies.state.sent (no author)', w.replies.state.sent({ by: '?', at: '12:00' })],
  ];
}

/** The digest's words of `locale`, over a full weekly digest and an empty daily one. */
export function digestSentences(locale: Locale): Array<[string, string]> {
  const w = digestWords(locale);
  const out: Array<[string, string]> = [];
  for (const [name, d] of [
    [
      'week',
      bigDigest(
        'week',
        locale,
        DEFAULT_REASONS.map((r) => ({ ...r })),
      ),
    ],
    ['empty day', emptyDigest('day', locale, DEFAULT_REASONS)],
  ] as const) {
    const at = (key: string, text: string | null) => out.push([`digest(${name}).${key}`, text ?? '']);
    at('title', w.title(d));
    at('periodText', w.periodText(d));
    at('summary', w.summary(d));
    for (const [key, text] of Object.entries(w.heading)) at(`heading.${key}`, text);
    at('moreReasons', w.moreReasons(3, 12));
    at('noInquiries', w.noInquiries);
    at('firstResponse', w.firstResponse(d));
    at('resolutionTime', w.resolutionTime(d));
    at('sla', w.sla(d));
    at('backlog', w.backlog(d));
    at('resolution', w.resolution(d));
    at('reinquiry', w.reinquiry(d));
    at('participation', w.participation(d));
    at('noVoices', w.noVoices);
    at('phase', w.phase(d));
    at('inquiryRef', w.inquiryRef(12));
    if (d.reasons[0]) at('comparisons', w.comparisons(d.reasons[0], d));
    for (const b of d.sla.worst.slice(0, 2))
      at(`breach(${b.kind}, ${b.done})`, w.breach(b, locale === 'ja' ? '請求・支払い' : 'Billing'));
    if (d.reasonSla?.[0]) at('reasonSla', w.reasonSla(d.reasonSla[0], d.reasonSla[0].label));
    const top = d.participation.top[0];
    if (top) at('participant', w.participant(top.name ?? top.id, top));
    if (d.voices[0]) at('voice', w.voice(d.voices[0]));
    const topic = { label: '二段階・認証・コード', count: 12, previousWeeklyAverage: 0.3, examples: [] };
    at('topic', w.topic(locale === 'ja' ? topic : { ...topic, label: 'export csv' }));
    at('topicExample', w.topicExample(locale === 'ja' ? '二段階認証のコードが届かない' : 'The export never arrives'));
  }
  return out;
}
