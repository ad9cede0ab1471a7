/**
 * What a connector makes of one webhook: the tool's own payload translated into a few plain events
 * the kit applies to the core. Each tool module only translates (its payload → these); what an event
 * does to an inquiry is decided once, in `apply-events.ts`.
 */

/** Someone in the tool: its own id (namespaced by the kit) and a display name. */
export interface ToolPerson {
  id: string;
  name: string | null;
  email?: string | null;
}

/** A message written in the tool, in a conversation (a Channel Talk user chat, an Intercom conversation, a Zendesk ticket). */
export interface ToolMessage {
  kind: 'message';
  conversationId: string;
  /** The tool's id for this message: with the conversation id, what makes a redelivery change nothing. */
  messageId: string;
  /** `customer`: the person who asked; `staff`: written by the team in the tool; `note`: a private comment. */
  from: 'customer' | 'staff' | 'note';
  body: string;
  author: ToolPerson;
  /** When the tool says it was written (epoch ms). */
  at: number;
  /** The conversation's link in the tool, recorded as the inquiry's url so the mirror links back. */
  url?: string;
  subject?: string;
}

/** The tool closed (solved) or reopened the conversation. */
export interface ToolStatus {
  kind: 'status';
  conversationId: string;
  state: 'closed' | 'open';
  actor: ToolPerson | null;
}

export type ToolEvent = ToolMessage | ToolStatus;

/**
 * A tool message's id as koe stores it on the message (and as a reply sender returns it as its ref):
 * prefixed, so it can never be taken for a conversation id, which is the inquiry's external id.
 */
export const messageKey = (toolMessageId: string): string => `msg:${toolMessageId}`;
