import type { ZendeskConfig } from '../../../config/connectors.ts';
import type { ToolEvent, ToolPerson } from '../kit/events.ts';
import { arr, obj, str, timeOf } from '../kit/read.ts';
import { callTool } from '../kit/tool-api.ts';

/**
 * A ticket as events, read through Zendesk's Tickets API (developer.zendesk.com, "Tickets" > "Show
 * ticket" and "Ticket Comments" > "List comments", both with `include=users` to side-load the users):
 *
 * - `GET /api/v2/tickets/{id}.json` → `{ticket: {id, subject, status, requester_id, created_at}}`;
 *   `status` is `new`, `open`, `pending`, `hold`, `solved` or `closed`.
 * - `GET /api/v2/tickets/{id}/comments.json` → `{comments: [{id, author_id, body, plain_body, public,
 *   created_at}], users: [{id, name, email, role}]}`, oldest first; `role` is `end-user`, `agent` or `admin`.
 *
 * Mapping: the first comment is the ticket's description and opens the inquiry (from the requester);
 * a public comment by an end user follows up; a public comment by an agent or admin is the team's
 * answer; a private comment is an internal note. Solved or closed resolves the inquiry; any other
 * status after that reopens it.
 */

export const authHeader = (config: ZendeskConfig) =>
  `Basic ${Buffer.from(`${config.email}/token:${config.apiToken.reveal()}`).toString('base64')}`;

export const ticketLink = (subdomain: string, ticketId: string) =>
  `https://${subdomain}.zendesk.com/agent/tickets/${ticketId}`;

export async function ticketEvents(config: ZendeskConfig, ticketId: string, now: number): Promise<ToolEvent[]> {
  const get = (path: string) =>
    callTool({
      tool: 'Zendesk',
      method: 'GET',
      url: `${config.apiUrl}${path}`,
      headers: { authorization: authHeader(config) },
    });
  const ticket = obj(obj(await get(`/api/v2/tickets/${ticketId}.json`)).ticket);
  const listed = obj(await get(`/api/v2/tickets/${ticketId}/comments.json?include=users`));
  const users = new Map(
    arr(listed.users)
      .map(obj)
      .map((u) => [str(u.id), u]),
  );
  const person = (id: string | null): ToolPerson => {
    const user = users.get(id) ?? {};
    return { id: `user:${id ?? 'unknown'}`, name: str(user.name), email: str(user.email) };
  };
  const requester = str(ticket.requester_id);
  const events: ToolEvent[] = arr(listed.comments)
    .map(obj)
    .flatMap((comment, i): ToolEvent[] => {
      const id = str(comment.id);
      if (!id) return [];
      const author = str(comment.author_id);
      const role = str(users.get(author)?.role);
      const first = i === 0;
      const from =
        first || (comment.public !== false && role === 'end-user')
          ? 'customer'
          : comment.public === false
            ? 'note'
            : 'staff';
      return [
        {
          kind: 'message',
          conversationId: ticketId,
          messageId: id,
          from,
          body: str(comment.plain_body) ?? str(comment.body) ?? '',
          author: person(first ? (requester ?? author) : author),
          at: timeOf(comment.created_at, 'iso', now),
          ...(first && { url: ticketLink(config.subdomain, ticketId), subject: str(ticket.subject) ?? undefined }),
        },
      ];
    });
  const status = str(ticket.status);
  if (status) {
    const closed = status === 'solved' || status === 'closed';
    events.push({ kind: 'status', conversationId: ticketId, state: closed ? 'closed' : 'open', actor: null });
  }
  return events;
}
