import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { tempDir } from '../helpers/temp-db.ts';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

function outcome(yamlText: string, env: Record<string, string> = {}): 'ok' | 'refused' {
  writeFileSync(join(dir, 'koe.config.yaml'), yamlText);
  try {
    loadConfig({ cwd: dir, env, dotenv: false });
    return 'ok';
  } catch (error) {
    // The only acceptable failure: a ConfigError with one line per problem, each with a path.
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^[^:]+: .+/);
    return 'refused';
  }
}

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('slack', 'discord', 'console', 'day', 'week', 'Asia/Tokyo', '0 9 * * *', 'bug'),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'name',
        'platform',
        'channel',
        'reasons',
        'period',
        'schedule',
        'id',
        'label',
        'ja',
        'en',
        'keywords',
        'x',
      ),
      tie('node'),
      { maxKeys: 4 },
    ),
  ),
}));

const configLike = fc.dictionary(
  fc.constantFrom(
    'timezone',
    'locale',
    'reasons',
    'extraReasons',
    'destinations',
    'sources',
    'digests',
    'reactions',
    'sla',
    'classifier',
    'delivery',
    'slack',
    'discord',
    'typo',
  ),
  value.node,
  { maxKeys: 5 },
);

describe('hostile config files', () => {
  it('validates the delivery lease and the Slack pace, naming the key', () => {
    const problems = (yamlText: string) => {
      writeFileSync(join(dir, 'koe.config.yaml'), yamlText);
      try {
        loadConfig({ cwd: dir, env: {}, dotenv: false });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
    };
    expect(problems('delivery: { leaseMs: 500 }').join('\n')).toMatch(/^delivery\.leaseMs: /m);
    expect(problems('delivery: { leaseMs: "soon" }').join('\n')).toMatch(/^delivery\.leaseMs: /m);
    expect(problems('slack: { paceMs: -1 }').join('\n')).toMatch(/^slack\.paceMs: /m);
    expect(problems('slack: { paceMs: 1.5 }').join('\n')).toMatch(/^slack\.paceMs: /m);
    expect(problems('delivery: { leaseMs: 1500, maxAttempts: 3 }\nslack: { paceMs: 0 }')).toEqual([]);
    writeFileSync(join(dir, 'koe.config.yaml'), 'delivery: { leaseMs: 1500 }\nslack: { paceMs: 250 }');
    const config = loadConfig({ cwd: dir, env: {}, dotenv: false });
    expect(config.delivery).toEqual({ maxAttempts: 10, leaseMs: 1500 });
    expect(config.slack.paceMs).toBe(250);
    writeFileSync(join(dir, 'koe.config.yaml'), '');
    expect(loadConfig({ cwd: dir, env: {}, dotenv: false }).delivery.leaseMs).toBe(60_000);
  });

  it('either loads or refuses with path-tagged problems: never another exception', () => {
    fc.assert(
      fc.property(configLike, (config) => {
        outcome(stringify(config));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses YAML that is not a mapping, or not YAML at all, cleanly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        outcome(text);
      }),
      { numRuns: 300 },
    );
    for (const text of ['- a\n- b\n', '42', '"just a string"', 'a: [1, 2\n', '\u0000', ':::']) outcome(text);
  });
});
