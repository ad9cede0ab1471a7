import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { createLogger } from '../../../src/lib/logger.ts';
import { QUICK_OUTBOX, type RunningKoe, startKoe } from '../../helpers/koe-instance.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/**
 * A real koe (its HTTP server, outbox and console mirror) for the connector tests, with one tool
 * turned on by `connectorsYaml`, its env pointing at the tool's fake, and its log kept for reading.
 */
export interface ConnectorKoe {
  k: RunningKoe;
  log: () => string;
  inquiries: () => Promise<any[]>;
  detail: (id: number) => Promise<any>;
  reply: (id: number, body: string) => Promise<number>;
  waitForReply: (inquiryId: number, replyId: number, state: string) => Promise<any>;
}

export async function startConnectorKoe(connectorsYaml: string, env: Record<string, string>): Promise<ConnectorKoe> {
  const out = new PassThrough();
  let logged = '';
  out.setEncoding('utf8');
  out.on('data', (d: string) => (logged += d));
  const yaml = `locale: en\nclassifier: { enabled: false }\nreplies: { undoSeconds: 0 }\nconnectors:\n${connectorsYaml}\n`;
  const k = await startKoe(yaml, env, { outbox: QUICK_OUTBOX, log: createLogger('debug', out, { format: 'json' }) });
  const inquiries = async () => (await (await k.api('/api/v1/inquiries')).json()).items as any[];
  const detail = async (id: number) => (await k.api(`/api/v1/inquiries/${id}`)).json();
  return {
    k,
    log: () => logged,
    inquiries,
    detail,
    async reply(id, body) {
      const res = await k.api(`/api/v1/inquiries/${id}/replies`, {
        method: 'POST',
        json: { body, author: { id: 'api:sato', name: 'Sato' } },
      });
      expect(res.status).toBe(202);
      return (await res.json()).reply.id as number;
    },
    waitForReply: (inquiryId, replyId, state) =>
      waitFor(
        async () => {
          const got = await (await k.api(`/api/v1/inquiries/${inquiryId}/replies/${replyId}`)).json();
          return got.reply.state === state && got;
        },
        15_000,
        `reply ${replyId} to be ${state}`,
      ),
  };
}
