import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/core/context.ts';
import { matchingRoutes } from '../../../src/core/inquiries/routing.ts';

const route = (name: string, filters: Pick<Route, 'reasons' | 'sources'> = {}): Route => ({
  name,
  platform: 'slack',
  channel: `C-${name}`,
  ...filters,
});

const names = (routes: readonly Route[], reasonId: string | null, source: string) =>
  matchingRoutes(routes, { reasonId, source }).map((r) => r.name);

describe('routing an inquiry to destinations', () => {
  it('sends everything to a route without filters, in the configured order', () => {
    const routes = [route('b'), route('a')];
    expect(names(routes, null, 'web')).toEqual(['b', 'a']);
    expect(names(routes, 'bug', 'slack:C1')).toEqual(['b', 'a']);
  });

  it('sends only the listed reasons to a route with a reason filter, and never an unclassified inquiry', () => {
    const routes = [route('eng', { reasons: ['bug', 'feature_request'] })];
    expect(names(routes, 'bug', 'web')).toEqual(['eng']);
    expect(names(routes, 'feature_request', 'web')).toEqual(['eng']);
    expect(names(routes, 'billing', 'web')).toEqual([]);
    expect(names(routes, null, 'web')).toEqual([]);
  });

  it('matches a source filter exactly, or as the platform of a channel source', () => {
    const routes = [route('slack', { sources: ['slack'] }), route('c1', { sources: ['slack:C1'] })];
    expect(names(routes, null, 'slack')).toEqual(['slack']);
    expect(names(routes, null, 'slack:C1')).toEqual(['slack', 'c1']);
    expect(names(routes, null, 'slack:C12')).toEqual(['slack']);
    expect(names(routes, null, 'slackbot')).toEqual([]);
    expect(names(routes, null, 'discord:1')).toEqual([]);
  });

  it('sends an inquiry from any one of the listed sources to a route with several', () => {
    const routes = [route('chat', { sources: ['slack', 'discord:1'] })];
    expect(names(routes, null, 'slack:C1')).toEqual(['chat']);
    expect(names(routes, null, 'discord:1')).toEqual(['chat']);
    expect(names(routes, null, 'discord:2')).toEqual([]);
    expect(names(routes, null, 'web')).toEqual([]);
  });

  it('needs both filters to pass when a route has both', () => {
    const routes = [route('web-bugs', { reasons: ['bug'], sources: ['web'] })];
    expect(names(routes, 'bug', 'web')).toEqual(['web-bugs']);
    expect(names(routes, 'bug', 'api')).toEqual([]);
    expect(names(routes, 'billing', 'web')).toEqual([]);
  });
});
