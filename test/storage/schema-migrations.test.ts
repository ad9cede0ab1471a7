import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/storage/db.ts';
import * as schema from '../../src/storage/schema/index.ts';

describe('the schema and the migrations koe ships', () => {
  it('agree: generating a migration from the schema now would change nothing', async () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
      entries: Array<{ idx: number }>;
    };
    const last = journal.entries.at(-1)!.idx;
    const shipped = JSON.parse(
      readFileSync(join(MIGRATIONS_DIR, 'meta', `${String(last).padStart(4, '0')}_snapshot.json`), 'utf8'),
    );
    const current = await generateSQLiteDrizzleJson(schema);
    expect(await generateSQLiteMigration(shipped, current)).toEqual([]);
  });
});
