// The SLA warning path as koe wires it, minus the chat: a core over a SQLite file with a settable
// clock, the sweeper, and the outbox worker delivering to a sender that records what it was asked
// to show (rendered by the console renderer, with the due line). A "restart" is a second one of
// these on the same file.
import type { Route } from '../../src/core/context.ts';
import { createSlaPolicy } from '../../src/core/sla/policy.ts';
import { shownDue } from '../../src/core/sla/shown-due.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { renderInquiryText, renderMessageText } from '../../src/platforms/console/render.ts';
import type { RenderSettings, Sender } from '../../src/platforms/types.ts';
import { createSlaSweeper, type SlaSweeper } from '../../src/scheduler/sla-sweeper.ts';
import { createReadModel } from '../../src/storage/read-model.ts';
import { migrateDb, openDb, type Db } from '../../src/storage/db.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { coreContext } from './temp-db.ts';
import { testSlaSettings } from './sla.ts';

export const ALERTS = 'C0ALERTS';
export const SUPPORT = 'C0SUPPORT';

/** One call the sender was asked to make, with what it would show. */
export interface ShownCall {
  kind: 'post' | 'update' | 'thread' | 'alert';
  inquiryId: number | null;
  text: string;
  mention?: string | null;
}

/** A Slack-platform sender that remembers what it showed, in order. */
export function showingSender(settings: RenderSettings): Sender & { shown: ShownCall[] } {
  const shown: ShownCall[] = [];
  let seq = 0;
  const ref = () => ({ messageRef: `m${++seq}`, threadRef: null });
  return {
    platform: 'slack',
    shown,
    paceMs: () => 0,
    async postInquiry({ view }) {
      shown.push({ kind: 'post', inquiryId: view.inquiry.id, text: renderInquiryText(view, settings, 'new') });
      return ref();
    },
    async updateInquiry({ view }) {
      shown.push({ kind: 'update', inquiryId: view.inquiry.id, text: renderInquiryText(view, settings, 'updated') });
    },
    async postToThread({ view, message, mention }) {
      const text = renderMessageText(view, message, settings);
      shown.push({ kind: 'thread', inquiryId: view.inquiry.id, text, mention: mention ?? null });
      return ref();
    },
    async postAlert({ text }) {
      shown.push({ kind: 'alert', inquiryId: null, text });
      return ref();
    },
    async postDigest() {
      return ref();
    },
    async findDelivered() {
      return null;
    },
  };
}

export interface SlaKoe {
  db: Db;
  ctx: ReturnType<typeof coreContext>;
  sweeper: SlaSweeper;
  worker: OutboxWorker;
  sender: ReturnType<typeof showingSender>;
  close(): Promise<void>;
}

/** koe's SLA parts over the file at `path`, on the clock `now`, mirroring to Slack #support. */
export function slaKoe(path: string, now: () => number, options: { locale?: 'ja' | 'en' } = {}): SlaKoe {
  const db = openDb(path);
  migrateDb(db);
  const routes: Route[] = [{ name: 'support', platform: 'slack', channel: SUPPORT }];
  const sla = createSlaPolicy(testSlaSettings({ alertChannel: { platform: 'slack', channel: ALERTS } }));
  const ctx = coreContext(db, { now, routes, sla });
  const locale = options.locale ?? 'ja';
  const settings: RenderSettings = {
    locale,
    timezone: 'Asia/Tokyo',
    reasons: DEFAULT_REASONS,
    dueOf: (inquiry) => shownDue(sla, inquiry, now()),
  };
  const sender = showingSender(settings);
  const worker = createOutboxWorker({ db, senders: { slack: sender }, log: silentLogger(), now, pollMs: 10 });
  ctx.onEnqueued = () => worker.wake();
  const read = createReadModel(db);
  const sweeper = createSlaSweeper({ ctx, read, locale, timezone: 'Asia/Tokyo', log: silentLogger() });
  return {
    db,
    ctx,
    sweeper,
    worker,
    sender,
    async close() {
      sweeper.stop();
      await worker.stop();
      db.$client.close();
    },
  };
}
