/** The team surfaces koe mirrors to; the core names them, adapters implement them. */
export const PLATFORMS = ['slack', 'discord', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * What one outbox row does: post a mirror, update it, add to its thread, or post a digest; send a
 * reply to the customer's channel, edit a reply's line in a mirror's thread (its state changed),
 * tell a person privately that their reply failed, or post one line of text (`payload.text`) to a
 * channel (an SLA warning in `sla.alertChannel`), or acknowledge a new inquiry to its customer (its
 * number and the promised answer time; no response, so first-response time is untouched).
 */
export const DELIVERY_KINDS = [
  'post',
  'update',
  'thread',
  'digest',
  'reply',
  'thread_update',
  'notice',
  'alert',
  'acknowledge',
] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** What an emoji on a mirror does; `reason:<id>` sets that contact reason. */
export type ReactionAction = 'claim' | 'resolve' | 'seen' | `reason:${string}`;

/**
 * The intake source of the contact form koe serves itself (intake/http/contact). A source is only a
 * name to the core; it is named here so the words that answer staff can speak of "the contact form"
 * instead of a bare id.
 */
export const CONTACT_FORM_SOURCE = 'form';
