import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/platforms/slack/command-parser.ts';

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['claim 12', { kind: 'claim', id: 12 }],
    ['claim #12', { kind: 'claim', id: 12 }],
    ['CLAIM', { kind: 'claim' }],
    ['unclaim 3', { kind: 'unclaim', id: 3 }],
    ['reopen 3', { kind: 'reopen', id: 3 }],
    ['show 7', { kind: 'show', id: 7 }],
    [
      'resolve 12 refunded, see ticket\nsecond line',
      { kind: 'resolve', id: 12, note: 'refunded, see ticket\nsecond line' },
    ],
    ['resolve', { kind: 'resolve' }],
    ['resolve done it', { kind: 'resolve', note: 'done it' }],
    ['assign 12 <@U0BOB|bob>', { kind: 'assign', id: 12, assignee: { id: 'slack:U0BOB', name: 'bob' } }],
    ['assign 12 <@W0BOB>', { kind: 'assign', id: 12, assignee: { id: 'slack:W0BOB', name: null } }],
    ['assign <@U0BOB|bob>', { kind: 'assign', assignee: { id: 'slack:U0BOB', name: 'bob' } }],
    ['reason 12 bug', { kind: 'reason', id: 12, reasonId: 'bug' }],
    ['reason Bug', { kind: 'reason', reasonId: 'bug' }],
    ['note 12 called them &amp; left a message', { kind: 'note', id: 12, text: 'called them &amp; left a message' }],
    ['mine', { kind: 'mine' }],
    ['open', { kind: 'open' }],
    ['stats', { kind: 'stats', period: 'today' }],
    ['stats 7d', { kind: 'stats', period: '7d' }],
    ['stats 30D', { kind: 'stats', period: '30d' }],
  ])('parses %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['frobnicate 1', { kind: 'unknown', given: 'frobnicate' }],
    ['claim twelve', { kind: 'badId', given: 'twelve' }],
    ['assign 12 bob', { kind: 'missingArgument', subcommand: 'assign' }],
    ['assign 12', { kind: 'missingArgument', subcommand: 'assign' }],
    ['reason 12', { kind: 'missingArgument', subcommand: 'reason' }],
    ['note 12', { kind: 'missingArgument', subcommand: 'note' }],
    ['stats forever', { kind: 'missingArgument', subcommand: 'stats' }],
  ])('explains what is wrong with %j', (text, problem) => {
    expect(parseCommand(text)).toEqual({ kind: 'usage', problem });
  });
});

describe('parseCommand on words an object already has', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('takes "%s" for an unknown command', (word) => {
    expect(parseCommand(word)).toEqual({ kind: 'usage', problem: { kind: 'unknown', given: word } });
  });
});
