import type { ReplyDelivery } from '../types.ts';

/**
 * What a reply webhook's receiver gets: the reply, the inquiry it answers (with the receiver's own
 * `externalId`, so it can find its ticket), and the customer to send it to. Every field is always
 * there; one koe does not know is null. The shape is documented in the README; change it only by
 * adding fields, since receivers parse it.
 */
export interface WebhookPayload {
  type: 'reply';
  inquiry: { id: number; source: string; externalId: string | null };
  customer: { name: string | null; email: string | null; key: string | null };
  message: {
    id: number;
    body: string;
    author: { id: string | null; name: string | null };
    createdAt: string;
  };
}

export function webhookPayload(req: ReplyDelivery): WebhookPayload {
  const { inquiry, customer } = req.view;
  const { message } = req;
  return {
    type: 'reply',
    inquiry: { id: inquiry.id, source: inquiry.source, externalId: inquiry.externalId },
    customer: { name: customer?.name ?? null, email: customer?.email ?? null, key: customer?.key ?? null },
    message: {
      id: message.id,
      body: message.body,
      author: { id: message.authorId, name: message.authorName },
      createdAt: new Date(message.createdAt).toISOString(),
    },
  };
}
