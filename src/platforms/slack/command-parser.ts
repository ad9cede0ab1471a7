import { SUBCOMMANDS, type Subcommand } from '../replies.ts';
import type { KoeCommand } from '../run-command.ts';
import { slackActor } from './context.ts';

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

/**
 * Parses the text after `/koe` (or after an @koe mention). Pure; never throws. A user is named as
 * Slack escapes a mention, `<@U123|alice>` or `<@U123>`; the assignee's name is the label, if any.
 */
export function parseCommand(text: string): KoeCommand {
  const [first, rest] = split(text);
  const sub = first.toLowerCase();
  if (sub === '' || sub === 'help' || sub === '?') return { kind: 'help' };
  if (!Object.hasOwn(SUBCOMMANDS, sub)) return { kind: 'usage', problem: { kind: 'unknown', given: first } };
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
      return { kind: 'assign', ...(id !== undefined && { id }), assignee: slackActor(m[1] ?? '', m[2] || null) };
    }
    case 'reason': {
      const reasonWord = id === undefined ? arg : split(afterArg)[0];
      if (!reasonWord) return { kind: 'usage', problem: { kind: 'missingArgument', subcommand } };
      return { kind: 'reason', ...(id !== undefined && { id }), reasonId: reasonWord.toLowerCase() };
    }
    case 'note':
    case 'reply': {
      const body = id === undefined ? rest : afterArg;
      if (!body) return { kind: 'usage', problem: { kind: 'missingArgument', subcommand } };
      return { kind: subcommand === 'note' ? 'note' : 'reply', ...(id !== undefined && { id }), text: body };
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
