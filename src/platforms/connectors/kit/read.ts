import { isObject } from '../../../lib/is-object.ts';

/**
 * Small readers for tool payloads: a webhook body is data from outside, so each field is read for
 * what it must be, and anything else reads as absent rather than throwing.
 */

export const obj = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});

/** A string, or a number as its decimal text (tools give ids as either). */
export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Epoch ms from epoch ms, epoch seconds (Intercom) or an ISO time (Zendesk); `fallback` otherwise. */
export function timeOf(value: unknown, unit: 'ms' | 's' | 'iso', fallback: number): number {
  if (unit === 'iso') {
    const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    return Number.isFinite(parsed) ? parsed : fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return unit === 's' ? value * 1000 : value;
}
