import type { Failure, FailureCode } from '../core/errors.ts';
import type { Locale } from '../core/reasons/taxonomy.ts';

/**
 * The words koe answers people with, in every locale, for every chat platform. Platform-neutral on
 * purpose: callers pass users already formatted the way their platform mentions them (`<@U123>` on
 * Slack, `<@1122…>` on Discord) and the command prefix they use, so Slack and Discord say the same
 * thing. Inline code is written with backticks, which both platforms render.
 */

export interface ReplyContext {
  locale: Locale;
  /** How the command is typed, e.g. `/koe`. */
  command: string;
}

/** How a platform shows a user; passed in so this module holds no mention syntax. */
export type FormattedUser = string;

const ref = (id: number | undefined) => (id === undefined ? '' : `#${id}`);

/** `` `/koe claim 12` ``: a command to type, its parts joined by single spaces. */
const cmd = (c: ReplyContext, ...parts: Array<string | number | undefined>) =>
  `\`${[c.command, ...parts.filter((p) => p !== undefined && p !== '')].join(' ')}\``;

type FailureWords = (c: ReplyContext, f: Failure, who: { holder?: FormattedUser }) => string;

const FAILURES: Record<Locale, Record<FailureCode, FailureWords>> = {
  ja: {
    NOT_FOUND: (c, f) =>
      `${ref(f.inquiryId)} というお問い合わせは見つかりません。\`${c.command} open\` で未対応の一覧を確認できます。`,
    ALREADY_CLAIMED: (c, f, w) =>
      `${ref(f.inquiryId)} はすでに ${w.holder ?? '他の人'} さんが担当しています。本人に声をかけるか、${cmd(c, 'assign', f.inquiryId ?? '<番号>', '@担当者')} で付け替えてください。`,
    ALREADY_YOURS: (_c, f) => `${ref(f.inquiryId)} はすでにあなたの担当です。`,
    NOT_CLAIMED: (c, f) =>
      `${ref(f.inquiryId)} は誰も担当していません。${cmd(c, 'claim', f.inquiryId)} で担当できます。`,
    ALREADY_RESOLVED: (c, f) =>
      `${ref(f.inquiryId)} は解決済みです。まだ対応が必要なら ${cmd(c, 'reopen', f.inquiryId)} で再開してください。`,
    NOT_RESOLVED: (c, f) =>
      `${ref(f.inquiryId)} はまだ解決済みではありません（再開の必要はありません）。解決するには ${cmd(c, 'resolve', f.inquiryId)}。`,
    UNKNOWN_REASON: (_c, f) =>
      `その理由はありません。使える理由: ${(f.validReasons ?? []).map((r) => `\`${r}\``).join(', ')}`,
    NOT_A_MIRROR: () => `このメッセージは koe のお問い合わせではありません。`,
    INVALID_INPUT: (c, f) =>
      `${f.message ?? '入力が正しくありません。'} \`${c.command} help\` で使い方を確認できます。`,
  },
  en: {
    NOT_FOUND: (c, f) => `There is no inquiry ${ref(f.inquiryId)}. \`${c.command} open\` lists the unclaimed ones.`,
    ALREADY_CLAIMED: (c, f, w) =>
      `${ref(f.inquiryId)} is already claimed by ${w.holder ?? 'someone else'} — ask them or use ${cmd(c, 'assign', f.inquiryId ?? '<id>', '@you')}.`,
    ALREADY_YOURS: (_c, f) => `${ref(f.inquiryId)} is already yours.`,
    NOT_CLAIMED: (c, f) => `Nobody has claimed ${ref(f.inquiryId)}. ${cmd(c, 'claim', f.inquiryId)} takes it.`,
    ALREADY_RESOLVED: (c, f) =>
      `${ref(f.inquiryId)} is already resolved. If it still needs work, ${cmd(c, 'reopen', f.inquiryId)} brings it back.`,
    NOT_RESOLVED: (c, f) =>
      `${ref(f.inquiryId)} is not resolved, so there is nothing to reopen. ${cmd(c, 'resolve', f.inquiryId)} resolves it.`,
    UNKNOWN_REASON: (_c, f) =>
      `No such reason. Valid reasons: ${(f.validReasons ?? []).map((r) => `\`${r}\``).join(', ')}`,
    NOT_A_MIRROR: () => `That message is not a koe inquiry.`,
    INVALID_INPUT: (c, f) => `${f.message ?? 'That input is not valid.'} See \`${c.command} help\`.`,
  },
};

/** A refusal from a core verb, as a sentence that says what to do next. */
export function failureReply(c: ReplyContext, failure: Failure, who: { holder?: FormattedUser } = {}): string {
  return FAILURES[c.locale][failure.code](c, failure, who);
}

export type SuccessKey =
  | 'claimed'
  | 'unclaimed'
  | 'assigned'
  | 'alreadyAssigned'
  | 'resolved'
  | 'reopened'
  | 'reasonSet'
  | 'reasonUnchanged'
  | 'noteAdded';

const SUCCESS: Record<
  Locale,
  Record<SuccessKey, (p: { id: number; user?: FormattedUser; reason?: string }) => string>
> = {
  ja: {
    claimed: (p) => `#${p.id} を担当しました。`,
    unclaimed: (p) => `#${p.id} の担当を外しました。誰でも担当できます。`,
    assigned: (p) => `#${p.id} の担当を ${p.user ?? ''} さんにしました。`,
    alreadyAssigned: (p) => `#${p.id} はすでに ${p.user ?? ''} さんの担当です。`,
    resolved: (p) => `#${p.id} を解決済みにしました。`,
    reopened: (p) => `#${p.id} を再開しました。`,
    reasonSet: (p) => `#${p.id} の理由を「${p.reason ?? ''}」にしました。`,
    reasonUnchanged: (p) => `#${p.id} の理由はすでに「${p.reason ?? ''}」です。`,
    noteAdded: (p) => `#${p.id} にメモを追加しました。`,
  },
  en: {
    claimed: (p) => `You claimed #${p.id}.`,
    unclaimed: (p) => `#${p.id} is back in the pool; anyone can claim it.`,
    assigned: (p) => `#${p.id} is now assigned to ${p.user ?? ''}.`,
    alreadyAssigned: (p) => `#${p.id} is already assigned to ${p.user ?? ''}.`,
    resolved: (p) => `#${p.id} is resolved.`,
    reopened: (p) => `#${p.id} is open again.`,
    reasonSet: (p) => `#${p.id}'s reason is now "${p.reason ?? ''}".`,
    reasonUnchanged: (p) => `#${p.id}'s reason already is "${p.reason ?? ''}".`,
    noteAdded: (p) => `Note added to #${p.id}.`,
  },
};

/** A done action, confirmed. */
export function successReply(
  locale: Locale,
  key: SuccessKey,
  params: { id: number; user?: FormattedUser; reason?: string },
): string {
  return SUCCESS[locale][key](params);
}

/** Subcommands of `/koe`, with the arguments they take (shown in help and usage errors). */
export const SUBCOMMANDS = {
  help: '',
  claim: '[id]',
  unclaim: '[id]',
  assign: '<id> <@user>',
  resolve: '[id] [note]',
  reopen: '[id]',
  reason: '<id> <reason-id>',
  note: '<id> <text>',
  mine: '',
  open: '',
  show: '<id>',
  stats: '[today|7d|30d]',
} as const;

export type Subcommand = keyof typeof SUBCOMMANDS;

const HELP: Record<Locale, Record<Subcommand, string>> = {
  ja: {
    help: 'この説明',
    claim: '担当する',
    unclaim: '担当を外す',
    assign: '担当を付け替える',
    resolve: '解決済みにする（メモ付きも可）',
    reopen: '再開する',
    reason: 'お問い合わせ理由を設定する',
    note: '社内メモを残す',
    mine: '自分が担当中の一覧',
    open: '未担当の一覧（古い順）',
    show: '詳細と全文を表示',
    stats: '件数などの集計',
  },
  en: {
    help: 'this help',
    claim: 'claim an inquiry',
    unclaim: 'give it back to the pool',
    assign: 'hand it to someone',
    resolve: 'mark resolved, optionally with a note',
    reopen: 'reopen a resolved inquiry',
    reason: 'set the contact reason',
    note: 'add an internal note',
    mine: 'inquiries you hold',
    open: 'unclaimed inquiries, oldest first',
    show: 'details and the full text',
    stats: 'counts for a period',
  },
};

/** The `/koe help` text. `threadHint` explains where the id may be left out on this platform. */
export function helpReply(c: ReplyContext, threadHint?: string): string {
  const lines = (Object.keys(SUBCOMMANDS) as Subcommand[]).map((name) => {
    const args = SUBCOMMANDS[name];
    return `• \`${c.command} ${name}${args ? ` ${args}` : ''}\` — ${HELP[c.locale][name]}`;
  });
  const title = c.locale === 'ja' ? '*koe の使い方*' : '*How to use koe*';
  return [title, ...lines, ...(threadHint ? ['', threadHint] : [])].join('\n');
}

export type UsageProblem =
  | { kind: 'unknown'; given: string }
  | { kind: 'missingId'; subcommand: Subcommand }
  | { kind: 'badId'; given: string }
  | { kind: 'missingArgument'; subcommand: Subcommand };

/** A command typed wrong: what was wrong and the right form. */
export function usageReply(c: ReplyContext, problem: UsageProblem): string {
  const form = (s: Subcommand) => `\`${c.command} ${s}${SUBCOMMANDS[s] ? ` ${SUBCOMMANDS[s]}` : ''}\``;
  const ja = c.locale === 'ja';
  switch (problem.kind) {
    case 'unknown':
      return ja
        ? `「${problem.given}」というコマンドはありません。\`${c.command} help\` で一覧を表示します。`
        : `There is no "${problem.given}" command. \`${c.command} help\` lists them.`;
    case 'missingId':
      return ja
        ? `お問い合わせ番号を指定してください: ${form(problem.subcommand)}（例: \`${c.command} ${problem.subcommand} 12\`）`
        : `Which inquiry? ${form(problem.subcommand)} (e.g. \`${c.command} ${problem.subcommand} 12\`)`;
    case 'badId':
      return ja
        ? `「${problem.given}」はお問い合わせ番号ではありません。\`12\` や \`#12\` のように指定してください。`
        : `"${problem.given}" is not an inquiry number; write it as \`12\` or \`#12\`.`;
    case 'missingArgument':
      return ja
        ? `足りない引数があります: ${form(problem.subcommand)}`
        : `Something is missing: ${form(problem.subcommand)}`;
  }
}

/** Words for lists and summaries. */
export function listWords(locale: Locale) {
  const ja = locale === 'ja';
  return {
    openTitle: (n: number) =>
      ja ? `*未担当のお問い合わせ（${n} 件、古い順）*` : `*Unclaimed inquiries (${n}, oldest first)*`,
    mineTitle: (n: number) => (ja ? `*あなたが担当中のお問い合わせ（${n} 件）*` : `*Inquiries you hold (${n})*`),
    openEmpty: ja ? '未担当のお問い合わせはありません。' : 'Nothing is waiting to be claimed.',
    mineEmpty: ja ? 'あなたが担当中のお問い合わせはありません。' : 'You hold no open inquiries.',
    more: (n: number) => (ja ? `…ほか ${n} 件` : `…and ${n} more`),
    unassigned: ja ? '未担当' : 'Unassigned',
    age: (minutes: number) => formatAge(minutes, locale),
  };
}

/** A duration in minutes as a short phrase: `3分`, `2時間`, `4日` / `3 min`, `2 h`, `4 d`. */
export function formatAge(minutes: number, locale: Locale): string {
  const m = Math.max(0, Math.round(minutes));
  if (locale === 'ja') {
    if (m < 60) return `${m}分`;
    if (m < 48 * 60) return `${Math.floor(m / 60)}時間`;
    return `${Math.floor(m / (24 * 60))}日`;
  }
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h`;
  return `${Math.floor(m / (24 * 60))} d`;
}

export interface StatsNumbers {
  period: 'today' | '7d' | '30d';
  received: number;
  resolved: number;
  openNow: number;
  claimedNow: number;
  medianFirstResponseMinutes: number | null;
  byReason: { label: string; count: number }[];
}

/** `/koe stats` as text. */
export function statsReply(locale: Locale, s: StatsNumbers): string {
  const ja = locale === 'ja';
  const periodLabel = {
    today: ja ? '今日' : 'Today',
    '7d': ja ? '直近 7 日' : 'Last 7 days',
    '30d': ja ? '直近 30 日' : 'Last 30 days',
  }[s.period];
  const median = s.medianFirstResponseMinutes === null ? '-' : formatAge(s.medianFirstResponseMinutes, locale);
  const lines = ja
    ? [
        `*${periodLabel}の集計*`,
        `受付 ${s.received} 件 · 解決 ${s.resolved} 件 · 初回返信の中央値 ${median}`,
        `現在: 未担当 ${s.openNow} 件 · 対応中 ${s.claimedNow} 件`,
      ]
    : [
        `*${periodLabel}*`,
        `Received ${s.received} · resolved ${s.resolved} · median first response ${median}`,
        `Now: ${s.openNow} unclaimed · ${s.claimedNow} in progress`,
      ];
  if (s.byReason.length > 0) {
    lines.push(ja ? '理由別:' : 'By reason:');
    for (const r of s.byReason) lines.push(`• ${r.label}: ${r.count}`);
  }
  return lines.join('\n');
}

/** Misc one-liners. */
export function miscWords(locale: Locale) {
  const ja = locale === 'ja';
  return {
    recorded: (id: number) => (ja ? `お問い合わせ #${id} として記録しました。` : `Recorded as inquiry #${id}.`),
    recordedAlready: (id: number) =>
      ja ? `このメッセージはすでに #${id} として記録されています。` : `That message already is inquiry #${id}.`,
    joined: (id: number) =>
      ja
        ? `同じ方からの直前のお問い合わせ #${id} にまとめました。`
        : `Added to the same customer's recent inquiry #${id}.`,
    recordFailed: ja
      ? 'このメッセージを記録できませんでした。少し待ってからもう一度お試しください。'
      : 'Could not record that message; please try again in a moment.',
    emptyMessage: ja ? '（本文なし）' : '(no text)',
    reactionRefused: (text: string) =>
      ja ? `リアクションの操作はできませんでした: ${text}` : `Your reaction did not act: ${text}`,
    internalError: ja
      ? 'koe でエラーが起きました。少し待ってからもう一度お試しください。'
      : 'Something went wrong in koe; please try again in a moment.',
    pageOf: (n: number, total: number) => (ja ? `（${n}/${total}）` : `(${n}/${total})`),
    /** Refusal for someone who is not staff; `role` is the staff role as the platform shows it, if one is configured. */
    notStaff: (role: FormattedUser | null) =>
      role
        ? ja
          ? `koe の操作はスタッフだけができます（${role} ロールが必要です）。`
          : `Only staff can do that in koe (it needs the ${role} role).`
        : ja
          ? 'koe の操作はチームのサーバーのメンバーだけができます。'
          : "Only members of the team's server can do that in koe.",
  };
}
