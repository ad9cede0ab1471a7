import type { ReplyDelivery } from '../types.ts';

/**
 * What a reply webhook's receiver gets: the reply, the inquiry it answers (with the receiver's own
 * `externalId`, so it can find its ticket), and the customer to send it to. Every field is always
 * there; one koe does not know is null. The shape is documented in the README; change it only by
 * adding fields, since receivers parse it.
 */
export interface WebhookPayload {
  type: 'reply';
  /**
   * `dueAt`: the date koe promised the customer an answer by (the resolution due time on the
   * business clock, ISO 8601), for a receiver that tells them; null when koe keeps no promises.
   */
  inquiry: { id: number; source: string; externalId: string | null; dueAt: string | null };
  customer: { name: string | null; email: string | null; key: string | null };
  message: {
    id: number;
    body: string;
    author: { id: string | null; name: string | null };
    createdAt: string;
  };
}

export function webhookPayload(req: ReplyDelivery, dueAt: number | null = null): WebhookPayload {
  const { inquiry, customer } = req.view;
  const { message } = req;
  return {
    type: 'reply',
    inquiry: {
      id: inquiry.id,
      source: inquiry.source,
      externalId: inquiry.externalId,
      dueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
    },
    customer: { name: customer?.name ?? null, email: customer?.email ?? null, key: customer?.key ?? null },
    message: {
      id: message.id,
      body: message.body,
      author: { id: message.authorId, name: message.authorName },
      createdAt: new Date(message.createdAt).toISOString(),
    },
  };
}
