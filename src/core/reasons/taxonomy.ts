/** A contact reason (お問い合わせ理由): a stable id, labels per locale, and optional keyword rules. */
export interface Reason {
  id: string;
  label: { ja: string; en: string };
  /** Case-insensitive substrings that set this reason when found in an inquiry. */
  keywords: string[];
  /** Regular expression sources (flags `iu`) that set this reason when matched. */
  patterns: string[];
}

import type { Locale } from '../../lib/locale.ts';

export type { Locale };

/** How an inquiry's reason was decided; stored beside the reason so digests and training can tell. */
export type ReasonSource = 'intake' | 'human' | 'rule' | 'classifier';

/** The default taxonomy; ids are fixed so that config, rules and history can rely on them. */
export const DEFAULT_REASONS: readonly Reason[] = [
  {
    id: 'how_to',
    label: { ja: '使い方', en: 'How to' },
    keywords: ['使い方', 'やり方', '方法', '設定方法', 'how to', 'how do i', 'where can i'],
    patterns: [],
  },
  {
    id: 'pricing_plan',
    label: { ja: '料金・プラン', en: 'Pricing & plans' },
    keywords: ['料金', 'プラン', '価格', '見積', 'pricing', 'price', 'plan', 'quote'],
    patterns: [],
  },
  {
    id: 'billing',
    label: { ja: '請求・支払い', en: 'Billing' },
    keywords: ['請求', '領収書', '支払', '返金', 'invoice', 'receipt', 'refund', 'charge', 'billing'],
    patterns: [],
  },
  {
    id: 'bug',
    label: { ja: '不具合・障害', en: 'Bug / outage' },
    keywords: ['不具合', 'エラー', '障害', '落ち', '動かない', 'バグ', 'error', 'bug', 'crash', 'broken', 'outage'],
    patterns: [],
  },
  {
    id: 'feature_request',
    label: { ja: '要望', en: 'Feature request' },
    keywords: ['要望', '機能追加', 'してほしい', 'feature request', 'would be nice', 'please add'],
    patterns: [],
  },
  {
    id: 'account',
    label: { ja: 'アカウント・ログイン', en: 'Account & login' },
    keywords: ['ログイン', 'パスワード', 'アカウント', 'login', 'log in', 'password', 'account', 'sign in'],
    patterns: [],
  },
  {
    id: 'cancellation',
    label: { ja: '解約', en: 'Cancellation' },
    keywords: ['解約', '退会', 'キャンセル', 'cancel', 'unsubscribe', 'close my account'],
    patterns: [],
  },
  {
    id: 'other',
    label: { ja: 'その他', en: 'Other' },
    keywords: [],
    patterns: [],
  },
];

/** Looks a reason up by id in a taxonomy. */
export function findReason(reasons: readonly Reason[], id: string): Reason | undefined {
  return reasons.find((r) => r.id === id);
}

/** The label of a reason in a locale; the id itself when the reason is unknown (e.g. removed from config). */
export function reasonLabel(reasons: readonly Reason[], id: string | null, locale: Locale): string {
  if (id === null) return locale === 'ja' ? '未分類' : 'Unclassified';
  return findReason(reasons, id)?.label[locale] ?? id;
}
