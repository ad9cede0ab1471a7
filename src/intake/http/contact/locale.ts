import type { Locale } from '../../../lib/locale.ts';

const LOCALES: readonly Locale[] = ['ja', 'en'];

const isLocale = (v: string | undefined): v is Locale => v !== undefined && (LOCALES as readonly string[]).includes(v);

/**
 * The page's language: `locale` from the query or the form (a link or a switch the customer chose)
 * wins; then the first of ja/en the browser's Accept-Language prefers (by q, then by order, `ja-JP`
 * counting as ja); then koe's own locale.
 */
export function pickLocale(chosen: string | undefined, acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (isLocale(chosen)) return chosen;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 32) // a header of thousands of tags is no one's browser
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.q > 0 && isLocale(r.base))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return (ranked[0]?.base as Locale | undefined) ?? fallback;
}
