import { describe, expect, it } from 'vitest';
import { toKoeCommand } from '../../../src/platforms/discord/commands/koe-command.ts';

const actor = { id: 'discord:1', name: 'aiko' };
const invoke = (subcommand: string, options: Record<string, unknown> = {}) =>
  toKoeCommand({ subcommand, actor, channelId: null, ...options });

describe('toKoeCommand: Discord’s typed options as a /koe command', () => {
  it('reads each subcommand’s options', () => {
    expect(invoke('claim', { id: 3 })).toEqual({ kind: 'claim', id: 3 });
    expect(invoke('resolve', { id: 3, note: '返金済み' })).toEqual({ kind: 'resolve', id: 3, note: '返金済み' });
    expect(invoke('assign', { id: 3, user: actor })).toEqual({ kind: 'assign', id: 3, assignee: actor });
    expect(invoke('reason', { reason: ' billing ' })).toEqual({ kind: 'reason', id: undefined, reasonId: 'billing' });
    expect(invoke('note', { id: 3, text: ' メモ ' })).toEqual({ kind: 'note', id: 3, text: 'メモ' });
    expect(invoke('stats', { period: '7d' })).toEqual({ kind: 'stats', period: '7d' });
    expect(invoke('stats', { period: 'forever' })).toEqual({ kind: 'stats', period: 'today' });
  });

  it('asks for what is missing', () => {
    for (const [sub, options] of [
      ['assign', { id: 3 }],
      ['reason', { id: 3, reason: '  ' }],
      ['note', { id: 3, text: '' }],
    ] as const) {
      expect(invoke(sub, options)).toEqual({ kind: 'usage', problem: { kind: 'missingArgument', subcommand: sub } });
    }
  });

  it.each(['constructor', 'toString', 'explode'])('takes "%s" for an unknown subcommand', (sub) => {
    expect(invoke(sub)).toEqual({ kind: 'usage', problem: { kind: 'unknown', given: sub } });
  });
});
