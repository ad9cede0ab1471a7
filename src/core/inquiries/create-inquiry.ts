import { z } from 'zod';
import { webLinkProblem } from '../../lib/web-link.ts';
import type { CoreContext, ReasonGuess } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { findReason } from '../reasons/taxonomy.ts';
import { queueMirrorChanges, queueThreadMessage } from './fan-out.ts';
import type { Actor, Customer, Inquiry } from './types.ts';

const MAX_BODY_CHARS = 100_000;
const EARLIEST_RECEIVED_AT_ISO = '2000-01-01T00:00:00Z';
/** The earliest receipt time an inquiry may give: no customer wrote to koe in the last century. */
export const EARLIEST_RECEIVED_AT = Date.parse(EARLIEST_RECEIVED_AT_ISO);
/** How far ahead of now a receipt time may be: clocks and zones differ, but an inquiry cannot come from next week. */
export const RECEIVED_AT_LEEWAY_MS = 24 * 3_600_000;

/** How deep metadata may nest, the metadata object itself being the first level. */
export const MAX_METADATA_DEPTH = 20;
/** How large metadata may be, as JSON in UTF-8. */
export const MAX_METADATA_BYTES = 64 * 1024;

/**
 * Why `metadata` is too deep or too large, or null. The depth is walked without recursion and
 * first: JSON.stringify (when storing, mirroring, answering) throws on a value nested a few
 * thousand levels deep, and a 1 MiB body can nest half a million.
 */
function metadataProblem(metadata: Record<string, unknown>): string | null {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: metadata, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > MAX_METADATA_DEPTH) return `must be at most ${MAX_METADATA_DEPTH} levels deep`;
    for (const child of Object.values(next.value as object)) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  const bytes = new TextEncoder().encode(JSON.stringify(metadata)).length;
  return bytes > MAX_METADATA_BYTES ? `must be at most ${MAX_METADATA_BYTES} bytes as JSON (it was ${bytes})` : null;
}

/** The shape of a new inquiry, shared by every intake edge (HTTP API, chat sources). */
export const createInquiryInput = z
  .object({
    source: z.string().trim().min(1).max(200),
    externalId: z.string().min(1).max(500).optional(),
    customer: z
      .object({
        id: z.string().min(1).max(500).optional(),
        name: z.string().max(500).optional(),
        email: z.email().max(500).optional(),
      })
      .strict()
      .optional(),
    subject: z.string().max(1000).optional(),
    body: z
      .string()
      .min(1)
      .max(MAX_BODY_CHARS)
      .refine((s) => s.trim().length > 0, 'must not be blank'),
    url: z
      .string()
      .max(3000)
      .superRefine((text, ctx) => {
        const problem = webLinkProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    reason: z.string().min(1).max(100).optional(),
    // Not before 2000; not more than a day ahead of now, which createInquiry checks against koe's clock.
    receivedAt: z.iso
      .datetime({ offset: true })
      // (What is not a time at all is refused by the format, once.)
      .refine((s) => !(Date.parse(s) < EARLIEST_RECEIVED_AT), `must not be before ${EARLIEST_RECEIVED_AT_ISO}`)
      .optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .superRefine((metadata, ctx) => {
        const problem = metadataProblem(metadata);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .strict();

export type CreateInquiryInput = z.infer<typeof createInquiryInput>;

export interface CreateOptions {
  /** Top-level messages from one customer within this window join their open inquiry (chat sources). */
  joinWindowMs?: number;
  /** Who recorded it, when not the customer (e.g. a teammate capturing a DM). */
  recordedBy?: Actor;
}

function customerKey(c: CreateInquiryInput['customer']): string | null {
  if (!c) return null;
  return c.id ?? c.email?.toLowerCase() ?? (c.name?.trim() ? `name:${c.name.trim()}` : null);
}

/** What the reason is guessed from: the subject and the body. */
function guessText(input: Pick<CreateInquiryInput, 'subject' | 'body'>): string {
  return [input.subject, input.body].filter(Boolean).join('\n');
}

/**
 * Awaited before createInquiry where the caller can wait (the HTTP API and the contact form, whose
 * writes share one group commit): the slow part of the guess then runs off the event loop instead
 * of inside the batch. Never fails: without it the guess is only slower.
 */
export async function prepareGuess(ctx: CoreContext, input: CreateInquiryInput): Promise<void> {
  if (input.reason !== undefined || !ctx.prepareGuess) return;
  try {
    await ctx.prepareGuess(guessText(input));
  } catch {
    // The guess makes what it needs itself.
  }
}

/**
 * Stores a new inquiry and queues its mirrors, in one transaction. Idempotent on
 * (source, externalId): the same pair again returns the stored inquiry and changes nothing.
 */
export function createInquiry(
  ctx: CoreContext,
  input: CreateInquiryInput,
  options: CreateOptions = {},
): Outcome<{ inquiry: Inquiry; customer: Customer | null; created: boolean; joined: boolean }> {
  if (input.reason !== undefined && !findReason(ctx.reasons, input.reason)) {
    return fail('UNKNOWN_REASON', { reason: input.reason, validReasons: ctx.reasons.map((r) => r.id) });
  }
  // A time far ahead would sit on top of every newest-first list for as long as koe runs.
  if (input.receivedAt !== undefined && Date.parse(input.receivedAt) > ctx.now() + RECEIVED_AT_LEEWAY_MS) {
    const message = `must not be more than a day ahead of now (${new Date(ctx.now()).toISOString()})`;
    return fail('INVALID_INPUT', { message, issues: [{ path: 'receivedAt', message }] });
  }
  // Guessing outside the transaction keeps the write lock short.
  const guess: ReasonGuess | null = input.reason === undefined ? ctx.guessReason(guessText(input)) : null;

  const result = ctx.store.transaction((tx) => {
    if (input.externalId) {
      const existing = tx.findInquiryByExternalId(input.source, input.externalId);
      if (existing) {
        const customer = existing.customerId === null ? null : (tx.findCustomer(existing.customerId) ?? null);
        return { inquiry: existing, customer, created: false, joined: false };
      }
    }
    const nowMs = ctx.now();
    const receivedAt = input.receivedAt ? Date.parse(input.receivedAt) : nowMs;
    const key = customerKey(input.customer);
    const customer = key
      ? tx.upsertCustomer(input.source, key, input.customer?.name ?? null, input.customer?.email ?? null, nowMs)
      : null;

    if (customer && options.joinWindowMs) {
      // The same message again (a redelivery, or a read-back after a restart) joined one already,
      // even if that inquiry has been resolved since: it must not open a new one.
      const joined = input.externalId ? tx.findJoinedInquiry(customer.id, input.source, input.externalId) : undefined;
      if (joined) return { inquiry: joined, customer, created: false, joined: true };
      const recent = tx.findRecentOpenInquiry(customer.id, input.source, receivedAt - options.joinWindowMs);
      if (recent) {
        const message = tx.insertMessage({
          inquiryId: recent.id,
          direction: 'inbound',
          body: input.body,
          authorId: input.customer?.id ?? null,
          authorName: input.customer?.name ?? null,
          externalId: input.externalId ?? null,
          createdAt: receivedAt,
        });
        tx.appendEvent(
          recent.id,
          'message',
          { id: `customer:${customer.id}`, name: customer.name },
          { direction: 'inbound', joined: true },
          nowMs,
        );
        queueThreadMessage(ctx, tx, recent.id, message.id, nowMs);
        return { inquiry: recent, customer, created: false, joined: true };
      }
    }

    const inquiry = tx.insertInquiry(
      {
        source: input.source,
        externalId: input.externalId ?? null,
        customerId: customer?.id ?? null,
        subject: input.subject?.trim() || null,
        body: input.body,
        url: input.url ?? null,
        reasonId: input.reason ?? guess?.reasonId ?? null,
        reasonSource: input.reason ? 'intake' : (guess?.source ?? null),
        reasonConfidence: input.reason ? null : (guess?.confidence ?? null),
        metadata: input.metadata ?? null,
        receivedAt,
      },
      nowMs,
    );
    tx.appendEvent(
      inquiry.id,
      'created',
      options.recordedBy ?? null,
      { reasonId: inquiry.reasonId, reasonSource: inquiry.reasonSource },
      nowMs,
    );
    queueMirrorChanges(ctx, tx, inquiry, nowMs, true);
    // Its own destination: a dead acknowledgement must hold up no reply to the same customer.
    const ack = ctx.acknowledge?.(inquiry);
    if (ack) {
      const destination = `acknowledge:${ack.platform}:${ack.channel}`;
      tx.enqueue([{ kind: 'acknowledge', inquiryId: inquiry.id, destination, ...ack }], nowMs);
    }
    return { inquiry, customer, created: true, joined: false };
  });

  ctx.onEnqueued();
  if (result.created && input.reason !== undefined) ctx.onLabeled?.(result.inquiry.id);
  return { ok: true, ...result };
}
