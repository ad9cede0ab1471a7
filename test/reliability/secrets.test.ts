import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startKoe, TEST_TOKEN } from '../helpers/koe-instance.ts';
import { loadConfig } from '../../src/config/load-config.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += String(d)));
  return { stream, text: () => text };
}

describe('secrets stay secret', () => {
  it('keeps the intake token out of trace-level logs, error answers and the database', async () => {
    const logs = capture();
    const k = await startKoe(null, { LOG_LEVEL: 'trace' }, { log: createLogger('trace', logs.stream) });
    try {
      const wrong = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'x' }, headers: { authorization: `Bearer ${TEST_TOKEN}x` } });
      const wrongText = await wrong.text();
      const ok = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'hello' } });
      expect(ok.status).toBe(201);
      await k.koe.worker.drain();
      const dump = k.koe.db.$client.prepare("SELECT group_concat(sql) AS s FROM sqlite_master").get() as { s: string };
      const rows = JSON.stringify(k.koe.db.$client.prepare('SELECT * FROM inquiries').all()) + JSON.stringify(k.koe.db.$client.prepare('SELECT * FROM events').all());
      for (const text of [logs.text(), wrongText, dump.s, rows]) expect(text).not.toContain(TEST_TOKEN);
      expect(logs.text()).toContain('koe is listening');
    } finally {
      await k.stop();
    }
  });

  it('redacts token-shaped fields in anything logged', () => {
    const logs = capture();
    const log = createLogger('info', logs.stream);
    log.info({ token: 'xoxb-1', headers: { authorization: 'Bearer abc' }, config: { slack: { botToken: 'xoxb-2' } } }, 'with secrets');
    expect(logs.text()).not.toMatch(/xoxb-1|xoxb-2|Bearer abc/);
    expect(logs.text()).toContain('[redacted]');
  });

  it('names a bad secret variable without echoing its value', () => {
    try {
      loadConfig({ env: { SLACK_API_URL: 'xoxb-pasted-into-the-wrong-variable', SLACK_BOT_TOKEN: 'xoxb-real' }, dotenv: false, cwd: '/nonexistent' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = String((error as Error).message);
      expect(message).toContain('SLACK_API_URL');
      expect(message).not.toContain('xoxb-pasted');
      expect(message).not.toContain('xoxb-real');
    }
  });
});
