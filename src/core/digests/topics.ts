/**
 * Topics no one has named yet: the week's inquiries that got no reason (unclassified or `other`),
 * grouped by what they say, and the groups that grew against the 4 weeks before. A founder sees
 * 「二段階認証のコードが届かない」 rising before anyone adds a reason for it.
 *
 * TF-IDF over Japanese-aware terms (ICU words, so 二段階認証 → 二 / 段階 / 認証, and word pairs),
 * then leader clustering by cosine similarity: simple, deterministic and fast for the few hundred
 * unnamed inquiries a week holds. Pure.
 */
import { compileRules } from '../reasons/rules.ts';
import { DEFAULT_REASONS, type Reason } from '../reasons/taxonomy.ts';
import { normalizeText, segmentWords } from '../reasons/tokenize.ts';

/** An unnamed inquiry of the week or of the 4 weeks before it. */
export interface TopicInquiry {
  receivedAt: number;
  text: string;
}

/** A topic that grew: as the JSON digest carries it. */
export interface Topic {
  /** Its most telling words. */
  label: string;
  /** Inquiries of the week in it. */
  count: number;
  /** Its mean count per week over the baseline weeks. */
  previousWeeklyAverage: number;
  /** Two of its inquiries, shortened. */
  examples: string[];
}

export interface TopicOptions {
  /** The week: [startMs, endMs). Earlier inquiries are the baseline. */
  startMs: number;
  endMs: number;
  baselineWeeks: number;
  /**
   * The taxonomy. Reasons the team added (extraReasons, or any id the default taxonomy lacks) are
   * topics already named: an inquiry their rules recognise, or a topic most of whose inquiries say
   * their label, is not shown.
   */
  reasons: readonly Reason[];
}

/** At most this many topics are shown. */
export const TOPIC_LIMIT = 3;
/** A topic needs this many inquiries in the week: two alike can be chance. */
export const MIN_TOPIC_SIZE = 4;
/** …and at least this many times its baseline weekly average (plus MIN_TOPIC_SIZE/2, so 0 → 4 counts). */
const GROWTH_FACTOR = 2;
/** Cosine similarity to a cluster's centroid to join it. */
const JOIN_SIMILARITY = 0.35;
const EXAMPLE_CHARS = 60;
const LABEL_TERMS = 3;

interface Doc {
  inquiry: TopicInquiry;
  terms: Map<string, number>;
  inWeek: boolean;
}

/** The up to TOPIC_LIMIT topics that grew most this week, largest growth first. */
export function findTopics(inquiries: readonly TopicInquiry[], options: TopicOptions): Topic[] {
  const defaults = new Set(DEFAULT_REASONS.map((r) => r.id));
  const named = options.reasons.filter((r) => !defaults.has(r.id));
  const rules = compileRules(named);
  const namedWords = named.flatMap((r) => [r.label.ja, r.label.en].map(normalizeText)).filter((w) => w.length > 1);
  const docs: Doc[] = inquiries
    .filter((q) => q.receivedAt < options.endMs && rules(q.text) === null)
    .sort((a, b) => a.receivedAt - b.receivedAt || (a.text < b.text ? -1 : 1))
    .map((inquiry) => ({ inquiry, terms: termsOf(inquiry.text), inWeek: inquiry.receivedAt >= options.startMs }))
    .filter((d) => d.terms.size > 0);
  const idf = inverseDocFrequency(docs);
  const vectors = docs.map((d) => weigh(d.terms, idf));
  const clusters = cluster(vectors);
  const topics: (Topic & { growth: number })[] = [];
  for (const members of clusters) {
    const week = members.filter((i) => docs[i]!.inWeek);
    const previousWeeklyAverage = round1((members.length - week.length) / options.baselineWeeks);
    if (week.length < MIN_TOPIC_SIZE) continue;
    if (week.length < GROWTH_FACTOR * previousWeeklyAverage + MIN_TOPIC_SIZE / 2) continue;
    const saysName = (i: number) => namedWords.some((w) => normalizeText(docs[i]!.inquiry.text).includes(w));
    if (week.filter(saysName).length * 2 >= week.length) continue;
    const label = labelOf(members.map((i) => vectors[i]!));
    const examples = week.slice(0, 2).map((i) => shorten(docs[i]!.inquiry.text));
    topics.push({
      label,
      count: week.length,
      previousWeeklyAverage,
      examples,
      growth: week.length - previousWeeklyAverage,
    });
  }
  return topics
    .sort((a, b) => b.growth - a.growth || b.count - a.count || (a.label < b.label ? -1 : 1))
    .slice(0, TOPIC_LIMIT)
    .map(({ growth: _, ...topic }) => topic);
}

// Particles, auxiliaries and politeness that every inquiry shares: they would glue unrelated ones.
const STOP_WORDS = new Set(
  'です ます ません でした ました ください いただけ いただき お願い 願い よろしく 御社 弊社 こと もの ため よう とき ので から まで けど けれど でき する して いる ある ない なり なっ あり おり いたし the a an to of and or is are i my we our you your it this that for in on with be can please'.split(
    ' ',
  ),
);
const HIRAGANA_ONLY = /^[\u3041-\u309f]{1,2}$/u;
const DIGITS_ONLY = /^[0-9]+$/u;

/** Words and adjacent word pairs, without the words every inquiry has. */
function termsOf(text: string): Map<string, number> {
  const words = segmentWords(normalizeText(text)).filter(
    (w) => !STOP_WORDS.has(w) && !HIRAGANA_ONLY.test(w) && !DIGITS_ONLY.test(w),
  );
  const terms = new Map<string, number>();
  words.forEach((w, i) => {
    terms.set(w, (terms.get(w) ?? 0) + 1);
    if (i === 0) return;
    const pair = pairOf(words[i - 1]!, w);
    terms.set(pair, (terms.get(pair) ?? 0) + 1);
  });
  return terms;
}

// Japanese words are written together (二段階 + 認証 → 二段階認証), English ones apart (encoding error).
const SPACED_EDGE = /[\p{Script=Latin}\p{N}]/u;
function pairOf(first: string, second: string): string {
  const spaced = SPACED_EDGE.test(first.at(-1) ?? '') && SPACED_EDGE.test(second[0] ?? '');
  return spaced ? `${first} ${second}` : `${first}${second}`;
}

function inverseDocFrequency(docs: readonly Doc[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [t, n] of df) idf.set(t, Math.log((1 + docs.length) / (1 + n)) + 1);
  return idf;
}

/** A unit-length TF-IDF vector as term → weight. */
function weigh(terms: Map<string, number>, idf: Map<string, number>): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [t, n] of terms) {
    const w = (1 + Math.log(n)) * idf.get(t)!;
    v.set(t, w);
    norm += w * w;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [t, w] of v) v.set(t, w * scale);
  return v;
}

/**
 * Leader clustering: each vector joins the most similar cluster whose centroid it is close enough
 * to, or starts a new one. Oldest first, so a topic's baseline members found it before the week did.
 */
function cluster(vectors: readonly Map<string, number>[]): number[][] {
  const centroids: Map<string, number>[] = [];
  const members: number[][] = [];
  vectors.forEach((v, i) => {
    let best = -1;
    let bestSimilarity = JOIN_SIMILARITY;
    centroids.forEach((c, k) => {
      const s = cosine(v, c);
      if (s >= bestSimilarity) {
        best = k;
        bestSimilarity = s;
      }
    });
    if (best === -1) {
      centroids.push(new Map(v));
      members.push([i]);
      return;
    }
    members[best]!.push(i);
    centroids[best] = centroidOf(members[best]!.map((m) => vectors[m]!));
  });
  return members;
}

function centroidOf(vectors: readonly Map<string, number>[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const v of vectors) for (const [t, w] of v) sum.set(t, (sum.get(t) ?? 0) + w);
  let norm = 0;
  for (const w of sum.values()) norm += w * w;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [t, w] of sum) sum.set(t, w * scale);
  return sum;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
  return dot;
}

/**
 * The centroid's heaviest terms of two or more characters, a word pair taking the place of the
 * words it joins (段階認証 rather than 段階 and 認証), Japanese joined with ・, English with spaces.
 */
function labelOf(vectors: readonly Map<string, number>[]): string {
  const sorted = [...centroidOf(vectors)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const picked: string[] = [];
  for (const [term] of sorted) {
    if (picked.length >= LABEL_TERMS) break;
    if (Array.from(term).length < 2 || picked.some((p) => p.includes(term))) continue;
    const inside = picked.findIndex((p) => term.includes(p) || overlap(p, term) > 0 || overlap(term, p) > 0);
    if (inside < 0) picked.push(term);
    else picked[inside] = merge(picked[inside]!, term);
  }
  const latin = picked.every((w) => /^[\p{Script=Latin}\p{N}\s]+$/u.test(w));
  return picked.join(latin ? ' ' : '・');
}

/** How many characters (two or more) at the end of `a` begin `b` (二段階 + 段階認証 → 2). */
function overlap(a: string, b: string): number {
  for (let k = Math.min(a.length, b.length) - 1; k > 1; k--) if (a.endsWith(b.slice(0, k))) return k;
  return 0;
}

/** One term for two that overlap or contain each other: 二段階 and 段階認証 make 二段階認証. */
function merge(a: string, b: string): string {
  if (b.includes(a)) return b;
  if (a.includes(b)) return a;
  const ab = overlap(a, b);
  return ab > 0 ? a + b.slice(ab) : b + a.slice(overlap(b, a));
}

/** The first line, cut to EXAMPLE_CHARS code points (never half an emoji). */
function shorten(text: string): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(line);
  return chars.length > EXAMPLE_CHARS ? `${chars.slice(0, EXAMPLE_CHARS - 1).join('')}…` : line;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
