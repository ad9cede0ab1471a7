import { perform } from '../../../core/actions.ts';
import type { CoreContext } from '../../../core/context.ts';
import { createInquiry } from '../../../core/inquiries/index.ts';
import type { Actor, Inquiry, Message } from '../../../core/inquiries/types.ts';
import type { ReadModel } from '../../../core/ports/read-model.ts';
import type { Logger } from '../../../lib/logger.ts';
import { messageKey, type ToolEvent, type ToolMessage, type ToolPerson, type ToolStatus } from './events.ts';

/**
 * Applies a connector's events to the core, the same way for every tool. The inquiry is the tool's
 * conversation: `(source, conversation id)` is its external id, so a redelivered first message finds
 * the inquiry it opened, and every later message is stored with the tool's message id, so a
 * redelivered follow-up is one the core already has. Nothing here keeps state of its own: a replay
 * after a restart meets the same rows.
 */

export interface ApplyDeps {
  ctx: CoreContext;
  read: ReadModel;
  log: Logger;
}

/** The most of a message the core stores (createInquiry's and the message action's limit). */
const MAX_BODY = 100_000;

/** What the inquiry keeps of where it came from, so a replayed first message is known for what it is. */
interface Origin {
  conversationId: string;
  messageId: string;
}

export interface Applied {
  created: number;
  added: number;
  statusChanges: number;
}

export function applyEvents(deps: ApplyDeps, source: string, events: readonly ToolEvent[]): Applied {
  const applied: Applied = { created: 0, added: 0, statusChanges: 0 };
  for (const event of events) {
    if (event.kind === 'message') applyMessage(deps, source, event, applied);
    else applyStatus(deps, source, event, applied);
  }
  return applied;
}

const actorOf = (source: string, person: ToolPerson): Actor => ({ id: `${source}:${person.id}`, name: person.name });

function applyMessage(deps: ApplyDeps, source: string, event: ToolMessage, applied: Applied): void {
  const body = event.body.trim().slice(0, MAX_BODY);
  if (!body) {
    // An attachment-only message: nothing the thread can show as text.
    deps.log.debug({ source, conversationId: event.conversationId }, `${source}: a message without text was skipped`);
    return;
  }
  const existing = inquiryOf(deps, source, event.conversationId);
  if (!existing) {
    // Only a customer opens an inquiry; a note or a team message in a conversation koe never saw is not one.
    if (event.from === 'customer') openInquiry(deps, source, event, body, applied);
    return;
  }
  if (isFirstMessage(existing, event) || isOwnReplyEcho(deps, existing.id, event, body)) return;
  const outcome = perform(deps.ctx, {
    type: 'message',
    inquiryId: existing.id,
    direction: event.from === 'customer' ? 'inbound' : event.from === 'staff' ? 'outbound' : 'note',
    body,
    author: actorOf(source, event.author),
    externalId: messageKey(event.messageId),
  });
  if (!outcome.ok)
    deps.log.warn({ source, code: outcome.code, inquiryId: existing.id }, `${source}: a message was refused`);
  else if (outcome.created) applied.added++;
}

function openInquiry(deps: ApplyDeps, source: string, event: ToolMessage, body: string, applied: Applied): void {
  const origin: Origin = { conversationId: event.conversationId, messageId: event.messageId };
  const { author } = event;
  const outcome = createInquiry(deps.ctx, {
    source,
    externalId: event.conversationId,
    customer: {
      id: `${source}:${author.id}`,
      ...(author.name && { name: author.name.slice(0, 500) }),
      ...(author.email && isEmail(author.email) && { email: author.email }),
    },
    ...(event.subject?.trim() && { subject: event.subject.trim().slice(0, 1000) }),
    body,
    ...(event.url && { url: event.url }),
    // The tool's clock, unless it is ahead of koe's (the core refuses a time more than a day ahead).
    receivedAt: new Date(Math.min(event.at, deps.ctx.now())).toISOString(),
    metadata: { [source]: origin },
  });
  if (!outcome.ok) {
    deps.log.warn({ source, code: outcome.code, message: outcome.message }, `${source}: the inquiry was refused`);
    return;
  }
  if (outcome.created) applied.created++;
  // Two deliveries of a new conversation at once: the second finds the first's inquiry and adds its message.
  else if (!isFirstMessage(outcome.inquiry, event)) applyMessage(deps, source, event, applied);
}

/**
 * Closed in the tool resolves; open again reopens, but only an inquiry the tool itself resolved:
 * every tool payload says the conversation's state, and an inquiry staff resolved in koe while the
 * tool still shows it open must not be reopened by the next message about something else.
 */
function applyStatus(deps: ApplyDeps, source: string, event: ToolStatus, applied: Applied): void {
  const inquiry = inquiryOf(deps, source, event.conversationId);
  if (!inquiry) return;
  const actor = event.actor ? actorOf(source, event.actor) : { id: source, name: null };
  const wanted =
    event.state === 'closed'
      ? inquiry.status !== 'resolved'
      : inquiry.status === 'resolved' && resolvedBy(deps, inquiry.id)?.startsWith(source) === true;
  if (!wanted) return;
  // Through the action table, as a person's resolve or reopen would go.
  const outcome = perform(deps.ctx, {
    type: event.state === 'closed' ? 'resolve' : 'reopen',
    inquiryId: inquiry.id,
    actor,
  });
  if (outcome.ok) applied.statusChanges++;
}

/** Who resolved the inquiry last. */
function resolvedBy(deps: ApplyDeps, inquiryId: number): string | null {
  const events = deps.read.inquiryDetail(inquiryId)?.events ?? [];
  return events.findLast((e) => e.type === 'resolved')?.actorId ?? null;
}

function inquiryOf(deps: ApplyDeps, source: string, conversationId: string): Inquiry | null {
  const id = deps.read.inquiryForSourceMessage(source, conversationId);
  return id === null ? null : (deps.read.inquiryDetail(id)?.inquiry ?? null);
}

/** The message that opened the inquiry, delivered again. */
function isFirstMessage(inquiry: Inquiry, event: ToolMessage): boolean {
  const origin = inquiry.metadata?.[inquiry.source] as Partial<Origin> | undefined;
  return origin?.messageId === event.messageId;
}

/**
 * A team message in the tool that is koe's own reply coming back: the tool announces every message,
 * including the one koe just sent through its API. Once the reply is marked sent it carries the tool's
 * id and the core takes the echo for a redelivery; this covers the echo that arrives first, while the
 * reply has no id yet: a reply of this inquiry on its way or sent, with no id and the same text.
 */
function isOwnReplyEcho(deps: ApplyDeps, inquiryId: number, event: ToolMessage, body: string): boolean {
  if (event.from !== 'staff') return false;
  const messages = deps.read.inquiryDetail(inquiryId)?.messages ?? [];
  return messages.some((m: Message) => {
    if (!m.replyState || m.replyState === 'undone' || m.replyState === 'failed') return false;
    return (m.externalId === null || m.externalId === messageKey(event.messageId)) && sameText(m.body, body);
  });
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) && s.length <= 500;
