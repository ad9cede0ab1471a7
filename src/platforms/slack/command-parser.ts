import { SUBCOMMANDS, type Subcommand, type UsageProblem } from '../replies.ts';

/** A Slack user named in a command: `<@U123|alice>` (escaped) or `<@U123>`. */
export interface MentionedUser {
  userId: string;
  label: string | null;
}

export type StatsPeriod = 'today' | '7d' | '30d';

/** A `/koe` command as typed; `id` is absent when it was left out (allowed inside a mirror's thread). */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'claim' | 'unclaim' | 'reopen' | 'show'; id?: number }
  | { kind: 'resolve'; id?: number; note?: string }
  | { kind: 'assign'; id?: number; user: MentionedUser }
  | { kind: 'reason'; id?: number; reasonId: string }
  | { kind: 'note'; id?: number; text: string }
  | { kind: 'mine' | 'open' }
  | { kind: 'stats'; period: StatsPeriod }
  | { kind: 'usage'; problem: UsageProblem };

const ID = /^#?(\d{1,15})$/;
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;

/** The first word and the untouched rest (newlines in notes survive). */
function split(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return m ? [m[1] ?? '', (m[2] ?? '').trim()] : ['', ''];
}

function parseId(word: string): number | undefined {
  const m = ID.exec(word);
  return m ? Number(m[1]) : undefined;
}

/** Parses the text after `/koe` (or after an @koe mention). Pure; never throws. */
export function parseCommand(text: string): ParsedCommand {
  const [first, rest] = split(text);
  const sub = first.toLowerCase();
  if (sub === '' || sub === 'help' || sub === '?') return { kind: 'help' };
  if (!(sub in SUBCOMMANDS)) return { kind: 'usage', problem: { kind: 'unknown', given: first } };
  const subcommand = sub as Subcommand;
  const [arg, afterArg] = split(rest);
  const id = parseId(arg);

  switch (subcommand) {
    case 'claim':
    case 'unclaim':
    case 'reopen':
    case 'show':
      if (arg !== '' && id === undefined) return { kind: 'usage', problem: { kind: 'badId', given: arg } };
      return { kind: subcommand, ...(id !== undefined && { id }) };
    case 'resolve': {
      const note = id === undefined ? rest : afterArg;
      return { kind: 'resolve', ...(id !== undefined && { id }), ...(note && { note }) };
    }
    case 'assign': {
      const mentionWord = id === undefined ? arg : split(afterArg)[0];
      const m = MENTION.exec(mentionWord);
      if (!m) return { kind: 'usage', problem: { kind: 'missingArgument', subcommand } };
      return { kind: 'assign', ...(id !== undefined && { id }), user: { userId: m[1] ?? '', label: m[2] || null } };
    }
    case 'reason': {
      const reasonWord = id === undefined ? arg : split(afterArg)[0];
      if (!reasonWord) return { kind: 'usage', problem: { kind: 'missingArgument', subcommand } };
      return { kind: 'reason', ...(id !== undefined && { id }), reasonId: reasonWord.toLowerCase() };
    }
    case 'note': {
      const body = id === undefined ? rest : afterArg;
      if (!body) return { kind: 'usage', problem: { kind: 'missingArgument', subcommand } };
      return { kind: 'note', ...(id !== undefined && { id }), text: body };
    }
    case 'mine':
    case 'open':
      return { kind: subcommand };
    case 'stats': {
      const period = (arg || 'today').toLowerCase();
      if (period === 'today' || period === '7d' || period === '30d') return { kind: 'stats', period };
      return { kind: 'usage', problem: { kind: 'missingArgument', subcommand } };
    }
    case 'help':
      return { kind: 'help' };
  }
}
