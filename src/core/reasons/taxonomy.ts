import {
  ACCOUNT_RULES,
  BILLING_RULES,
  BUG_RULES,
  CANCELLATION_RULES,
  FEATURE_REQUEST_RULES,
  HOW_TO_RULES,
  PRICING_PLAN_RULES,
} from './default-rules.ts';

/** A regular expression source (flags `iu`, matched against the normalised text) and how much a hit counts. */
export interface WeightedRule {
  pattern: string;
  weight: number;
}

/** A contact reason (お問い合わせ理由): a stable id, labels per locale, and optional keyword rules. */
export interface Reason {
  id: string;
  label: { ja: string; en: string };
  /** Case-insensitive substrings that set this reason when found in an inquiry (English ones as whole words). */
  keywords: string[];
  /** Regular expression sources (flags `iu`) that set this reason when matched. */
  patterns: string[];
  /** Weighted rules (the default taxonomy's); keywords and patterns above weigh as much as a decisive one. */
  rules?: WeightedRule[];
  /** Breaks a tie between equally scored reasons: higher wins (cancellations are the number to get right). */
  priority?: number;
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
    keywords: [],
    patterns: [],
    rules: HOW_TO_RULES,
  },
  {
    id: 'pricing_plan',
    label: { ja: '料金・プラン', en: 'Pricing & plans' },
    keywords: [],
    patterns: [],
    rules: PRICING_PLAN_RULES,
  },
  {
    id: 'billing',
    label: { ja: '請求・支払い', en: 'Billing' },
    keywords: [],
    patterns: [],
    rules: BILLING_RULES,
    priority: 2,
  },
  {
    id: 'bug',
    label: { ja: '不具合・障害', en: 'Bug / outage' },
    keywords: [],
    patterns: [],
    rules: BUG_RULES,
  },
  {
    id: 'feature_request',
    label: { ja: '要望', en: 'Feature request' },
    keywords: [],
    patterns: [],
    rules: FEATURE_REQUEST_RULES,
  },
  {
    id: 'account',
    label: { ja: 'アカウント・ログイン', en: 'Account & login' },
    keywords: [],
    patterns: [],
    rules: ACCOUNT_RULES,
    priority: 1,
  },
  {
    id: 'cancellation',
    label: { ja: '解約', en: 'Cancellation' },
    keywords: [],
    patterns: [],
    rules: CANCELLATION_RULES,
    priority: 3,
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
