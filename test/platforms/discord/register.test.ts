import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { registerCommands } from '../../../src/platforms/discord/commands/register.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { tempDir } from '../../helpers/temp-db.ts';

const run = promisify(execFile);
const KOE_BIN = fileURLToPath(new URL('../../../bin/koe.js', import.meta.url));
let fake: FakeDiscord;
const dirs: Array<() => void> = [];
afterEach(async () => {
  await fake.close();
  for (const cleanup of dirs.splice(0)) cleanup();
});

describe('registering the application commands', () => {
  it('is idempotent: the same commands, same ids and versions, however often it runs', async () => {
    fake = await startFakeDiscord();
    const first = await registerCommands({ token: fake.token, apiUrl: fake.apiUrl });
    expect(first.applicationId).toBe(fake.applicationId); // looked up with GET /applications/@me
    expect(first.scope).toBe('global');
    expect(first.commands.map((c) => [c.name, c.type, c.change])).toEqual([
      ['koe', 1, 'created'],
      ['Record as customer inquiry', 3, 'created'],
      ['Send to customer', 3, 'created'],
    ]);
    const second = await registerCommands({
      token: fake.token,
      apiUrl: fake.apiUrl,
      applicationId: fake.applicationId,
    });
    expect(second.commands.map((c) => c.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(second.commands.map((c) => c.id)).toEqual(first.commands.map((c) => c.id));
    expect(fake.commands.get('global')).toHaveLength(3);
    // Bulk overwrite both times (the fake validated names, descriptions and option order).
    expect(fake.requestsTo('PUT', /\/commands$/).map((r) => r.status)).toEqual([200, 200]);
    const koe = fake.commands.get('global')!.find((c) => c.name === 'koe')!;
    expect(koe.options.map((o: any) => o.name)).toEqual([
      'help',
      'claim',
      'unclaim',
      'assign',
      'resolve',
      'reopen',
      'reason',
      'note',
      'reply',
      'mine',
      'open',
      'show',
      'stats',
    ]);
    const claim = koe.options.find((o: any) => o.name === 'claim');
    expect(claim.options[0]).toMatchObject({ name: 'id', type: 4, autocomplete: true });
    // `/koe reply id:<n> text:<…>`: the text is required and at most 2000 characters, described in ja too.
    const reply = koe.options.find((o: any) => o.name === 'reply');
    expect(reply.options).toEqual([
      expect.objectContaining({ name: 'id', type: 4, required: true }),
      expect.objectContaining({
        name: 'text',
        type: 3,
        required: true,
        max_length: 2000,
        description_localizations: { ja: '返信内容（お客様にはこのまま届きます）' },
      }),
    ]);
    const send = fake.commands.get('global')!.find((c) => c.name === 'Send to customer')!;
    expect(send).toMatchObject({ type: 3, name_localizations: { ja: 'お客様に送信' } });
    expect(send.name.length).toBeLessThanOrEqual(32);
  });

  it('registers per guild with `koe discord register --guild ID`, printing what it did', async () => {
    fake = await startFakeDiscord();
    const guild = fake.addGuild('HQ');
    const { dir, cleanup } = tempDir('koe-register-');
    dirs.push(cleanup);
    const env = {
      ...process.env,
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: `${dir}/koe.db`,
      KOE_CONFIG: `${dir}/none.yaml`,
    };
    const cli = () => run(process.execPath, [KOE_BIN, 'discord', 'register', '--guild', guild.id], { env, cwd: dir });
    const once = await cli();
    expect(once.stdout).toContain(`3 commands registered in server ${guild.id}`);
    expect(once.stdout).toMatch(/created\s+\/koe/);
    const twice = await cli();
    expect(twice.stdout).toMatch(/unchanged\s+\/koe/);
    expect(twice.stdout).toMatch(/unchanged\s+"Record as customer inquiry" \(message menu\)/);
    expect(fake.commands.get(guild.id)).toHaveLength(3);
    expect(fake.commands.get('global')).toBeUndefined();
  });

  it('says what is wrong without a token, and for a malformed guild id', async () => {
    fake = await startFakeDiscord();
    const { dir, cleanup } = tempDir('koe-register-');
    dirs.push(cleanup);
    const env = { PATH: process.env.PATH, DATABASE_URL: `${dir}/koe.db`, KOE_CONFIG: `${dir}/none.yaml`, HOME: dir };
    const noToken = await run(process.execPath, [KOE_BIN, 'discord', 'register'], { env, cwd: dir }).catch((e) => e);
    expect(noToken.code).toBe(78);
    expect(noToken.stderr).toContain('DISCORD_TOKEN is not set');
    const badGuild = await run(process.execPath, [KOE_BIN, 'discord', 'register', '--guild', 'abc'], {
      env,
      cwd: dir,
    }).catch((e) => e);
    expect(badGuild.code).toBe(2);
    expect(badGuild.stderr).toContain('--guild expects a server id');
  });
});
