import type { Route } from '../context.ts';
import type { Inquiry } from './types.ts';

/** The routes an inquiry belongs in: every route whose reason and source filters it passes. */
export function matchingRoutes(routes: readonly Route[], inquiry: Pick<Inquiry, 'reasonId' | 'source'>): Route[] {
  return routes.filter((route) => {
    if (route.reasons && (inquiry.reasonId === null || !route.reasons.includes(inquiry.reasonId))) return false;
    if (route.sources && !route.sources.some((s) => s === inquiry.source || inquiry.source.startsWith(`${s}:`))) {
      return false;
    }
    return true;
  });
}
