import type { ReplyContext } from './index.ts';

/** `#12`, or nothing when the inquiry is not known. */
export const ref = (id: number | undefined): string => (id === undefined ? '' : `#${id}`);

/** `` `/koe claim 12` ``: a command to type, its parts joined by single spaces. */
export const cmd = (c: ReplyContext, ...parts: Array<string | number | undefined>): string =>
  `\`${[c.command, ...parts.filter((p) => p !== undefined && p !== '')].join(' ')}\``;

/** Reason ids as inline code, comma-separated. */
export const codes = (ids: readonly string[] | undefined): string => (ids ?? []).map((r) => `\`${r}\``).join(', ');
