import type { z } from 'zod';

/** Formats a zod path as `destinations[1].platform`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * One line per problem: `path: expected …, got …`. `hideInput` lists paths whose values are secrets
 * and must never be echoed back.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  options: { prefix?: string; hideInput?: (path: string) => boolean } = {},
): string[] {
  return issues.map((issue) => {
    const path = formatPath([...(options.prefix ? [options.prefix] : []), ...issue.path]);
    const hidden = options.hideInput?.(path) ?? false;
    const input = (issue as { input?: unknown }).input;
    const got = hidden ? '' : `, got ${describeValue(input)}`;
    switch (issue.code) {
      case 'invalid_value':
        return `${path}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}${got}`;
      case 'invalid_type':
        return `${path}: expected ${issue.expected}${got}`;
      case 'unrecognized_keys':
        return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      default:
        return `${path}: ${issue.message}${hidden || input === undefined ? '' : got}`;
    }
  });
}
