import type { CoreContext } from '../context.ts';
import { crossingKey, crossingsAt, type SlaCrossing } from '../sla/crossings.ts';
import type { NewDelivery, StoreTx } from '../store.ts';
import { queueMirrorChanges } from './fan-out.ts';
import { type Inquiry, SYSTEM_ACTOR } from './types.ts';

/** What a warning says, in the team's locale; the adapters' words, handed in (the core has none). */
export interface SlaWarningText {
  /** koe's note in each mirror's thread, addressed to the owner (or the channel when unclaimed). */
  note: string;
  /** The one line posted to `sla.alertChannel`. */
  alert: string;
}

export type SlaWarningWords = (inquiry: Inquiry, crossing: SlaCrossing) => SlaWarningText;

/** Outbox destination of alert lines: ordered per inquiry, apart from the mirrors' queues. */
export const SLA_ALERT_DESTINATION = 'sla-alert';

/**
 * Records one crossing and queues what it says, in one transaction: the event under its unique key
 * (the lock: a second sweep, another process or a restart finds it and does nothing), koe's note in
 * every mirror's thread (mentioning the assignee, carried in the row's payload), an update of every
 * mirror (its state changed), and a line to the alert channel. Returns whether this call recorded it.
 */
export function recordSlaCrossing(ctx: CoreContext, crossing: SlaCrossing, words: SlaWarningWords): boolean {
  const policy = ctx.sla;
  if (!policy) return false;
  const recorded = ctx.store.transaction((tx) => {
    const inquiry = tx.findInquiry(crossing.inquiryId);
    if (!inquiry) return false;
    const nowMs = ctx.now();
    // The sweep read outside this transaction: a reply or a resolution since then stops the clock.
    const now = crossingsAt(policy, inquiry, nowMs).find(
      (c) => c.target === crossing.target && c.level === crossing.level,
    );
    if (!now) return false;
    const type = now.level === 'breached' ? 'sla_breached' : 'sla_due_soon';
    const data = { target: now.target, dueAt: now.dueAt, ...(now.silent && { silent: true }) };
    if (!tx.appendEventOnce(inquiry.id, type, crossingKey(now), data, nowMs)) return false;
    if (!now.silent) queueWarning(ctx, tx, inquiry, words(inquiry, now), nowMs);
    return true;
  });
  if (recorded) ctx.onEnqueued();
  return recorded;
}

function queueWarning(ctx: CoreContext, tx: StoreTx, inquiry: Inquiry, text: SlaWarningText, nowMs: number): void {
  const note = tx.insertMessage({
    inquiryId: inquiry.id,
    direction: 'note',
    body: text.note,
    authorId: SYSTEM_ACTOR.id,
    authorName: SYSTEM_ACTOR.name ?? null,
    externalId: null,
    createdAt: nowMs,
  });
  const rows: NewDelivery[] = [];
  for (const name of tx.routedDestinations(inquiry.id)) {
    const route = ctx.routes.find((r) => r.name === name);
    if (!route) continue;
    // The owner is mentioned by the platform that knows how (only its own users' ids); unclaimed,
    // the note itself asks the channel.
    const payload = { mention: inquiry.status === 'claimed' ? inquiry.assigneeId : null };
    const { platform, channel } = route;
    rows.push({
      kind: 'thread',
      inquiryId: inquiry.id,
      messageId: note.id,
      destination: name,
      platform,
      channel,
      payload,
    });
  }
  const alert = ctx.sla?.settings.alertChannel;
  if (alert) {
    const { platform, channel } = alert;
    const payload = { text: text.alert };
    rows.push({ kind: 'alert', inquiryId: inquiry.id, destination: SLA_ALERT_DESTINATION, platform, channel, payload });
  }
  tx.enqueue(rows, nowMs);
  // The mirrors show the state ("due soon", "breached"): one update per change, queued here.
  queueMirrorChanges(ctx, tx, inquiry, nowMs);
}
