/**
 * The words and number formats of a digest in ja and en, shared by the console, Slack and Discord
 * digest renderers so the three say the same thing. Pure; plain text only (each renderer escapes
 * and marks up for its platform).
 */
import type { Digest, MirrorRef, ReasonCount, ReasonSla, SlaBreach, Topic } from '../core/digests/types.ts';
import type { Locale } from '../core/reasons/taxonomy.ts';
import { parseBusinessDuration } from '../core/sla/duration.ts';
import type { RenderSettings } from './types.ts';
import { wordsFor } from './words/index.ts';

/**
 * What a digest renderer needs: the usual settings, plus (optionally) how to link to a mirror, which
 * only the platform's sender can know (a Slack permalink needs the workspace domain, a Discord one
 * the guild id). Without it, voices link to the customer-facing URL given at intake, if any.
 */
export interface DigestRenderSettings extends RenderSettings {
  mirrorUrl?: (mirror: MirrorRef) => string | null;
}

/** The link for a voice of the customer: a mirror the sender can link to, else the intake URL. */
export function voiceUrl(voice: Digest['voices'][number], settings: DigestRenderSettings): string | null {
  for (const m of voice.mirrors) {
    const url = settings.mirrorUrl?.(m);
    if (url) return url;
  }
  return voice.url && /^https?:\/\//i.test(voice.url) ? voice.url : null;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: Locale, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withYear}`;
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
      timeZone: 'UTC', // the date is already a local calendar date; format it as is
      weekday: 'short',
      month: locale === 'ja' ? 'numeric' : 'short',
      day: 'numeric',
      ...(withYear ? { year: 'numeric' } : {}),
    });
    dateFormatters.set(key, f);
  }
  return f;
}

/** A `YYYY-MM-DD` calendar date for people: `2026/11/22（日）` / `Sun, Nov 22, 2026` (full-width brackets in ja). */
export function formatLocalDate(date: string, locale: Locale, withYear = true): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const text = dateFormatter(locale, withYear).format(new Date(Date.UTC(y, m - 1, d)));
  return locale === 'ja' ? text.replace('(', '（').replace(')', '）') : text;
}

/** A signed whole or decimal change: `+5`, `−2`, `±0` (a true minus sign, which reads better). */
export function formatSigned(n: number): string {
  if (n === 0) return '±0';
  const abs = Number.isInteger(n) ? String(Math.abs(n)) : Math.abs(n).toFixed(1);
  return n > 0 ? `+${abs}` : `−${abs}`;
}

/** A rate 0…1 as a whole percentage; `—` when there was nothing to measure. */
export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** A duration in minutes, coarsened to two units: `35分` / `2h 10m` / `3d 4h`. */
export function formatMinutes(minutes: number | null, locale: Locale): string {
  if (minutes === null) return '—';
  const m = Math.round(minutes);
  const ja = locale === 'ja';
  if (m < 1) return ja ? '1分未満' : '<1m';
  if (m < 60) return ja ? `${m}分` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) {
    const rest = m % 60;
    return ja ? `${h}時間${rest ? `${rest}分` : ''}` : `${h}h${rest ? ` ${rest}m` : ''}`;
  }
  const d = Math.floor(h / 24);
  const restH = h % 24;
  return ja ? `${d}日${restH ? `${restH}時間` : ''}` : `${d}d${restH ? ` ${restH}h` : ''}`;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A text bar of `count` against `max`, `width` cells wide, in eighth-cell steps; padded with spaces. */
export function textBar(count: number, max: number, width: number): string {
  if (max <= 0 || count <= 0) return ' '.repeat(width);
  const eighths = Math.max(1, Math.round((count / max) * width * 8));
  const full = Math.floor(eighths / 8);
  const bar = '█'.repeat(full) + EIGHTHS[eighths % 8];
  return bar + ' '.repeat(Math.max(0, width - Array.from(bar).length));
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A sparkline of daily counts (weekly trend), scaled to the largest: `▁▃█▅▂▁▁`. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max === 0 ? SPARKS[0] : SPARKS[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

/** At most `max` characters (code points, so an emoji is never split), ending in `…` when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A person's name in a digest line; long display names are cut. */
const NAME_CHARS = 40;

/**
 * Business minutes (open time) for people: `35分` / `43時間20分` / `43h 20m`. Never in days: a day of
 * business time is not 24 hours, so `1d 19h` would mislead.
 */
export function formatBusinessMinutes(minutes: number | null, locale: Locale): string {
  if (minutes === null) return '—';
  const m = Math.round(minutes);
  const ja = locale === 'ja';
  if (m < 60) return ja ? `${m}分` : `${m}m`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return ja ? `${h}時間${rest ? `${rest}分` : ''}` : `${h}h${rest ? ` ${rest}m` : ''}`;
}

/** A configured target (`2h`, `30m`, `2d`) as a phrase: `営業時間で2時間` / `2営業日` / `2 business hours`. */
export function formatTarget(target: string, locale: Locale): string {
  const d = parseBusinessDuration(target);
  if (!d) return target;
  const n = d.amount;
  if (locale === 'ja') return d.unit === 'd' ? `${n}営業日` : `営業時間で${n}${d.unit === 'h' ? '時間' : '分'}`;
  const unit = d.unit === 'd' ? 'day' : d.unit === 'h' ? 'hour' : 'minute';
  return `${n} business ${unit}${n === 1 ? '' : 's'}`;
}

/** How many reasons the weekly "within target by reason" lists (the busiest). */
export const REASON_SLA_LINES = 10;

/** Who holds a breached inquiry, for the breaches list. */
const ownerName = (b: SlaBreach) => (b.owner ? clip(b.owner.name ?? b.owner.id, NAME_CHARS) : null);

/** A count with digit grouping: `1,234`. */
export function formatCount(n: number, locale: Locale): string {
  return n.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US');
}

/** The sentences of a digest in one locale. */
export interface DigestWords {
  title(d: Digest): string;
  periodText(d: Digest): string;
  summary(d: Digest): string;
  /** The tally's comparisons for one reason: `前日比 +5 · 7日平均比 +3.1`. */
  comparisons(r: ReasonCount, d: Digest): string;
  heading: {
    reasons: string;
    unclassified: string;
    response: string;
    backlog: string;
    quality: string;
    participation: string;
    voices: string;
    phase: string;
    trend: string;
    reasonSla: string;
    topics: string;
  };
  moreReasons(hidden: number, count: number): string;
  noInquiries: string;
  /** Time to a first reply: wall clock and business time, share within target, still waiting. */
  firstResponse(d: Digest): string;
  /** Time to resolution, the same way. */
  resolutionTime(d: Digest): string;
  sla(d: Digest): string;
  /** One breach: which promise, how far past due in business time, and who holds it. */
  breach(b: SlaBreach, label: string): string;
  /** Weekly: one reason's share within target. */
  reasonSla(r: ReasonSla, label: string): string;
  backlog(d: Digest): string;
  resolution(d: Digest): string;
  reinquiry(d: Digest): string;
  participation(d: Digest): string;
  participant(name: string, p: Digest['participation']['top'][number]): string;
  voice(v: Digest['voices'][number]): string;
  noVoices: string;
  phase(d: Digest): string | null;
  inquiryRef(id: number): string;
  /** Weekly: one growing topic, its size this week and its weekly average over the 4 weeks before. */
  topic(t: Topic): string;
  /** One example line of a topic, quoted (the customer's words, shortened). */
  topicExample(text: string): string;
}

/** How many characters of a topic's label a digest shows. */
export const TOPIC_LABEL_CHARS = 40;

const JA: DigestWords = {
  title: (d) => (d.period.kind === 'week' ? '週次ダイジェスト' : '日次ダイジェスト'),
  periodText: (d) =>
    d.period.kind === 'week'
      ? `${formatLocalDate(d.period.start, 'ja')}〜${formatLocalDate(d.period.end, 'ja', false)}`
      : formatLocalDate(d.period.start, 'ja'),
  summary: (d) =>
    `新規 ${formatCount(d.total, 'ja')}件（${d.period.kind === 'week' ? '前週比' : '前日比'} ${formatSigned(d.total - d.previousTotal)}・${
      d.period.kind === 'week' ? '4週平均' : '7日平均'
    } ${d.baselineAverageTotal}件）`,
  comparisons: (r, d) =>
    `${d.period.kind === 'week' ? '前週比' : '前日比'} ${formatSigned(r.change)}・${d.period.kind === 'week' ? '4週平均比' : '7日平均比'} ${formatSigned(r.changeVsBaseline)}`,
  heading: {
    reasons: 'お問い合わせ理由',
    unclassified: '未分類',
    response: '初回返信と期限',
    backlog: 'バックログ（現在）',
    quality: '解決と再問い合わせ',
    participation: '参加',
    voices: 'お客様の声',
    phase: 'フェーズ',
    trend: '7日間の推移（月→日）',
    reasonSla: '理由別の目標達成率',
    topics: '未分類・その他で増えている話題',
  },
  moreReasons: (hidden, count) => `ほか${hidden}件の理由（計${formatCount(count, 'ja')}件）`,
  noInquiries: 'この期間のお問い合わせはありません。',
  firstResponse: (d) => {
    const f = d.firstResponse;
    return `初回返信 中央値 ${formatMinutes(f.medianMinutes, 'ja')}（営業時間 ${formatBusinessMinutes(f.businessMedianMinutes, 'ja')}）・p90 ${formatMinutes(f.p90Minutes, 'ja')}（営業時間 ${formatBusinessMinutes(f.businessP90Minutes, 'ja')}）・目標（${formatTarget(f.target, 'ja')}）内 ${formatPercent(f.withinTargetRate)}・返信待ち ${f.waiting}件`;
  },
  resolutionTime: (d) => {
    const r = d.resolutionTime;
    return `解決まで 中央値 ${formatMinutes(r.medianMinutes, 'ja')}（営業時間 ${formatBusinessMinutes(r.businessMedianMinutes, 'ja')}）・p90 ${formatMinutes(r.p90Minutes, 'ja')}（営業時間 ${formatBusinessMinutes(r.businessP90Minutes, 'ja')}）・目標（${formatTarget(r.target, 'ja')}）内 ${formatPercent(r.withinTargetRate)}・未解決 ${r.waiting}件`;
  },
  sla: (d) =>
    d.sla.breaches === 0
      ? '期限超過なし'
      : `期限超過 ${d.sla.breaches}件（返信の遅れ ${d.sla.late}件・未返信のまま超過 ${d.sla.unanswered}件・解決の遅れ ${d.sla.resolvedLate}件・未解決のまま超過 ${d.sla.unresolved}件）`,
  breach: (b, label) => {
    const what =
      b.kind === 'first_response' ? (b.done ? '返信が遅れました' : '未返信') : b.done ? '解決が遅れました' : '未解決';
    const owner = ownerName(b);
    return `#${b.inquiryId} ${label}：${what}・期限から営業時間で${formatBusinessMinutes(b.overMinutes, 'ja')}超過・${owner ? `担当 ${owner}` : '担当なし'}`;
  },
  reasonSla: (r, label) =>
    `${label}：初回返信 ${formatPercent(r.firstResponseRate)}・解決 ${formatPercent(r.resolutionRate)}（${formatCount(r.received, 'ja')}件）`,
  backlog: (d) => {
    const b = d.backlog;
    const status = wordsFor('ja').status;
    const oldest = b.oldestUnclaimed
      ? `・最古の${status.open} ${formatMinutes(b.oldestUnclaimed.ageMinutes, 'ja')}（#${b.oldestUnclaimed.inquiryId}）`
      : '';
    const n = (x: number) => formatCount(x, 'ja');
    return `未解決 ${n(b.unresolved)}件・${status.open} ${n(b.unclaimed)}件・${status.claimed} ${n(b.claimed)}件${oldest}・解決期限超過 ${n(b.overdue)}件`;
  },
  resolution: (d) =>
    `解決率 ${formatPercent(d.resolution.rate)}（${d.resolution.resolved}/${d.resolution.received}件）`,
  reinquiry: (d) =>
    `再問い合わせ率（解決後${d.reinquiry.windowDays}日以内）${formatPercent(d.reinquiry.rate)}（${d.reinquiry.returned}/${d.reinquiry.customers}人）`,
  participation: (d) => `${d.participation.people}人が反応・担当・返信しました`,
  participant: (name, p) =>
    `${clip(name, NAME_CHARS)}：${p.total}（返信 ${p.replies}・担当 ${p.claims}・リアクション ${p.reactions}）`,
  voice: (v) => `${v.label}：${v.title}（リアクション ${v.reactions}）`,
  noVoices: '不具合・要望のお問い合わせはありません。',
  phase: (d) => {
    if (!d.phase) return null;
    const p = d.phase;
    const where =
      p.stage === 'everyone'
        ? `${p.everyoneBelow}件/日未満：全員で返信するフェーズです。`
        : p.stage === 'transition'
          ? `${p.everyoneBelow}〜${p.dedicatedAbove}件/日：担当のローテーションや一次対応の当番を検討する時期です。`
          : `${p.dedicatedAbove}件/日超：KPIを持つ専任のサポートチームを置く時期です。`;
    return `1日平均 ${p.averagePerDay}件。${where}`;
  },
  inquiryRef: (id) => `#${id}`,
  topic: (t) =>
    `「${clip(t.label, TOPIC_LABEL_CHARS)}」：今週 ${formatCount(t.count, 'ja')}件（4週平均 ${t.previousWeeklyAverage}件）`,
  topicExample: (text) => `「${text}」`,
};

const EN: DigestWords = {
  title: (d) => (d.period.kind === 'week' ? 'Weekly digest' : 'Daily digest'),
  periodText: (d) =>
    d.period.kind === 'week'
      ? `${formatLocalDate(d.period.start, 'en', false)} – ${formatLocalDate(d.period.end, 'en')}`
      : formatLocalDate(d.period.start, 'en'),
  summary: (d) =>
    `${formatCount(d.total, 'en')} new ${d.total === 1 ? 'inquiry' : 'inquiries'} (${formatSigned(d.total - d.previousTotal)} vs ${
      d.period.kind === 'week' ? 'week before' : 'day before'
    }, ${d.period.kind === 'week' ? '4-week' : '7-day'} avg ${d.baselineAverageTotal})`,
  comparisons: (r, d) =>
    `${formatSigned(r.change)} vs ${d.period.kind === 'week' ? 'last week' : 'yesterday'} · ${formatSigned(r.changeVsBaseline)} vs ${
      d.period.kind === 'week' ? '4-wk' : '7-day'
    } avg`,
  heading: {
    reasons: 'Contact reasons',
    unclassified: 'Unclassified',
    response: 'First response and targets',
    backlog: 'Backlog (now)',
    quality: 'Resolution & re-inquiries',
    participation: 'Participation',
    voices: 'Voices of the customer',
    phase: 'Phase',
    trend: '7-day trend (Mon→Sun)',
    reasonSla: 'Within target by reason',
    topics: 'Growing topics in unclassified and other',
  },
  moreReasons: (hidden, count) => `${hidden} more reasons (${formatCount(count, 'en')} inquiries)`,
  noInquiries: 'No inquiries in this period.',
  firstResponse: (d) => {
    const f = d.firstResponse;
    return `First response: median ${formatMinutes(f.medianMinutes, 'en')} (${formatBusinessMinutes(f.businessMedianMinutes, 'en')} business) · p90 ${formatMinutes(f.p90Minutes, 'en')} (${formatBusinessMinutes(f.businessP90Minutes, 'en')} business) · within ${formatTarget(f.target, 'en')} ${formatPercent(f.withinTargetRate)} · awaiting reply ${f.waiting}`;
  },
  resolutionTime: (d) => {
    const r = d.resolutionTime;
    return `Resolution: median ${formatMinutes(r.medianMinutes, 'en')} (${formatBusinessMinutes(r.businessMedianMinutes, 'en')} business) · p90 ${formatMinutes(r.p90Minutes, 'en')} (${formatBusinessMinutes(r.businessP90Minutes, 'en')} business) · within ${formatTarget(r.target, 'en')} ${formatPercent(r.withinTargetRate)} · unresolved ${r.waiting}`;
  },
  sla: (d) =>
    d.sla.breaches === 0
      ? 'Nothing past due'
      : `${d.sla.breaches} ${d.sla.breaches === 1 ? 'inquiry' : 'inquiries'} past due (${d.sla.late} replied late, ${d.sla.unanswered} unanswered past due, ${d.sla.resolvedLate} resolved late, ${d.sla.unresolved} unresolved past due)`,
  breach: (b, label) => {
    const what =
      b.kind === 'first_response'
        ? b.done
          ? 'replied late'
          : 'no reply yet'
        : b.done
          ? 'resolved late'
          : 'not resolved';
    const owner = ownerName(b);
    return `#${b.inquiryId} ${label}: ${what}, ${formatBusinessMinutes(b.overMinutes, 'en')} past due in business time · ${owner ? `held by ${owner}` : 'unassigned'}`;
  },
  reasonSla: (r, label) =>
    `${label}: first response ${formatPercent(r.firstResponseRate)} · resolution ${formatPercent(r.resolutionRate)} (${formatCount(r.received, 'en')} ${r.received === 1 ? 'inquiry' : 'inquiries'})`,
  backlog: (d) => {
    const b = d.backlog;
    const oldest = b.oldestUnclaimed
      ? ` · oldest open ${formatMinutes(b.oldestUnclaimed.ageMinutes, 'en')} (#${b.oldestUnclaimed.inquiryId})`
      : '';
    const n = (x: number) => formatCount(x, 'en');
    const status = wordsFor('en').status;
    return `${n(b.unresolved)} unresolved · ${n(b.unclaimed)} ${status.open.toLowerCase()} · ${n(b.claimed)} ${status.claimed.toLowerCase()}${oldest} · ${n(b.overdue)} past resolution due`;
  },
  resolution: (d) =>
    `Resolution rate ${formatPercent(d.resolution.rate)} (${d.resolution.resolved}/${d.resolution.received})`,
  reinquiry: (d) =>
    `Re-inquiry rate (within ${d.reinquiry.windowDays} days of a resolution) ${formatPercent(d.reinquiry.rate)} (${d.reinquiry.returned}/${d.reinquiry.customers} customers)`,
  participation: (d) =>
    `${d.participation.people} ${d.participation.people === 1 ? 'person' : 'people'} reacted, claimed or replied`,
  participant: (name, p) =>
    `${clip(name, NAME_CHARS)}: ${p.total} (${p.replies} replies, ${p.claims} claims, ${p.reactions} reactions)`,
  voice: (v) => `${v.label}: ${v.title} (${v.reactions} reactions)`,
  noVoices: 'No bug reports or feature requests.',
  phase: (d) => {
    if (!d.phase) return null;
    const p = d.phase;
    const where =
      p.stage === 'everyone'
        ? `under ${p.everyoneBelow}/day: everyone answers.`
        : p.stage === 'transition'
          ? `between ${p.everyoneBelow} and ${p.dedicatedAbove}/day: time for a first-line rota.`
          : `over ${p.dedicatedAbove}/day: time for a dedicated support team with KPIs.`;
    return `${p.averagePerDay} inquiries/day on average; ${where}`;
  },
  inquiryRef: (id) => `#${id}`,
  topic: (t) =>
    `“${clip(t.label, TOPIC_LABEL_CHARS)}”: ${formatCount(t.count, 'en')} this week (4-week avg ${t.previousWeeklyAverage})`,
  topicExample: (text) => `“${text}”`,
};

/** The digest sentences for `locale`. */
export function digestWords(locale: Locale): DigestWords {
  return locale === 'ja' ? JA : EN;
}
