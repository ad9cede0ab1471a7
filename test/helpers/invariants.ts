import type Database from 'better-sqlite3';
import type { Route } from '../../src/core/context.ts';
import { matchingRoutes } from '../../src/core/inquiries/routing.ts';

/**
 * What must hold in koe's database whatever happened to it (hostile input, races, crashes): every
 * row a verb writes is written with the rest of its transaction, and an inquiry's status and
 * assignee are what its event log says. Returns one line per problem; empty when consistent.
 *
 * - each inquiry has exactly one `created` event, first, and its events replay to its stored status
 *   and assignee (claimed / assigned / unclaimed / resolved / reopened), each from a state its verb
 *   accepts: `claimed` only while open, `assigned` only while unresolved and to someone other than
 *   the holder, `unclaimed` only while claimed, `resolved` only while unresolved, `reopened` only
 *   while resolved;
 * - `claimed` has an assignee, `open` has none, `resolved` (and only that) has `resolved_at`;
 * - every route the inquiry matches now has a `post` queued or delivered for it;
 * - messages, events, mirrors and deliveries point at inquiries that exist.
 */
export function inquiryInvariantProblems(sqlite: Database.Database, routes: readonly Route[]): string[] {
  const problems: string[] = [];
  type Row = {
    id: number;
    status: string;
    assignee_id: string | null;
    resolved_at: number | null;
    reason_id: string | null;
    source: string;
  };
  const inquiries = sqlite
    .prepare(`SELECT id, status, assignee_id, resolved_at, reason_id, source FROM inquiries`)
    .all() as Row[];
  const eventsOf = sqlite.prepare(`SELECT id, type, actor_id, data FROM events WHERE inquiry_id = ? ORDER BY id`);
  const postsOf = sqlite.prepare(`SELECT destination FROM deliveries WHERE inquiry_id = ? AND kind = 'post'`);

  for (const inquiry of inquiries) {
    const at = `inquiry ${inquiry.id}`;
    const events = eventsOf.all(inquiry.id) as Array<{
      id: number;
      type: string;
      actor_id: string | null;
      data: string | null;
    }>;
    const created = events.filter((e) => e.type === 'created').length;
    if (created !== 1) problems.push(`${at}: ${created} created events`);
    if (events.length > 0 && events[0]!.type !== 'created')
      problems.push(`${at}: its first event is ${events[0]!.type}, not created`);

    let status = 'open';
    let assignee: string | null = null;
    for (const e of events) {
      const data = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
      // The state the event's verb found; a verb refuses (and writes nothing) from any other.
      const accepted: Record<string, boolean> = {
        claimed: status === 'open',
        assigned: status !== 'resolved' && !(status === 'claimed' && assignee === String(data.assigneeId)),
        unclaimed: status === 'claimed',
        resolved: status !== 'resolved',
        reopened: status === 'resolved',
      };
      if (accepted[e.type] === false)
        problems.push(`${at}: event ${e.id} ${e.type} while ${status}${assignee ? ` by ${assignee}` : ''}`);
      if (e.type === 'claimed') [status, assignee] = ['claimed', e.actor_id];
      else if (e.type === 'assigned') [status, assignee] = ['claimed', String(data.assigneeId)];
      else if (e.type === 'unclaimed') [status, assignee] = ['open', null];
      else if (e.type === 'resolved') status = 'resolved';
      else if (e.type === 'reopened') status = assignee ? 'claimed' : 'open';
    }
    if (status !== inquiry.status) problems.push(`${at}: status ${inquiry.status}, but its events say ${status}`);
    if (assignee !== inquiry.assignee_id)
      problems.push(`${at}: assignee ${inquiry.assignee_id}, but its events say ${assignee}`);
    if (inquiry.status === 'claimed' && !inquiry.assignee_id) problems.push(`${at}: claimed without an assignee`);
    if (inquiry.status === 'open' && inquiry.assignee_id) problems.push(`${at}: open with an assignee`);
    if ((inquiry.status === 'resolved') !== (inquiry.resolved_at !== null))
      problems.push(`${at}: status ${inquiry.status} with resolved_at ${inquiry.resolved_at}`);

    const posted = new Set((postsOf.all(inquiry.id) as Array<{ destination: string }>).map((r) => r.destination));
    for (const route of matchingRoutes(routes, { reasonId: inquiry.reason_id, source: inquiry.source })) {
      if (!posted.has(route.name)) problems.push(`${at}: no post queued for destination ${route.name}`);
    }
  }

  for (const table of ['messages', 'events', 'mirrors', 'reactions']) {
    const orphans = sqlite
      .prepare(
        `SELECT count(*) AS n FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM inquiries i WHERE i.id = t.inquiry_id)`,
      )
      .get() as { n: number };
    if (orphans.n > 0) problems.push(`${orphans.n} ${table} rows without their inquiry`);
  }
  const orphanDeliveries = sqlite
    .prepare(
      `SELECT count(*) AS n FROM deliveries d WHERE d.inquiry_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inquiries i WHERE i.id = d.inquiry_id)`,
    )
    .get() as { n: number };
  if (orphanDeliveries.n > 0) problems.push(`${orphanDeliveries.n} deliveries without their inquiry`);
  const threadWithoutMessage = sqlite
    .prepare(
      `SELECT count(*) AS n FROM deliveries d WHERE d.kind = 'thread' AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = d.message_id)`,
    )
    .get() as { n: number };
  if (threadWithoutMessage.n > 0) problems.push(`${threadWithoutMessage.n} thread deliveries without their message`);
  return problems;
}
