import { z } from 'zod';
import type { Failure } from '../../core/errors.ts';
import { isObject } from '../../lib/is-object.ts';
import { type Answer, refusal } from './answers.ts';

/** The pieces every route of the table shares: ids in paths, 400s that name a field, chat identities refused. */

export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const badRequest = (path: string, message: string): Answer => ({
  status: 400,
  body: { error: 'invalid_request', issues: [{ path, message }] },
});
export const badId = badRequest('id', 'expected a positive integer');

/**
 * `slack:` and `discord:` identities are people koe itself took from those platforms, and their
 * renderers draw them as mentions, which ping. The API names people its own way (`api:<name>`, or
 * any other id) and brings no inquiry in as if from a chat channel (`source`): otherwise any holder
 * of the token could make koe ping anyone in the team's chat, or pass for a customer writing there.
 */
const CHAT_NAMESPACE = /^\s*(slack|discord)\s*:/i;
const RESERVED = 'the slack: and discord: namespaces are for people and channels koe takes from chat itself';

/** A 400 naming each field of `body` that uses a chat namespace, or null when none does. */
export function chatIdentities(body: unknown, fields: { ids?: readonly string[]; source?: boolean }): Answer | null {
  if (!isObject(body)) return null;
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of fields.ids ?? []) {
    const who = body[field];
    if (isObject(who) && typeof who.id === 'string' && CHAT_NAMESPACE.test(who.id))
      issues.push({ path: `${field}.id`, message: `${RESERVED}; use an id of your own, e.g. api:<name>` });
  }
  if (fields.source && typeof body.source === 'string' && CHAT_NAMESPACE.test(body.source))
    issues.push({ path: 'source', message: `${RESERVED}; name the form or tool, e.g. web` });
  return issues.length > 0 ? { status: 400, body: { error: 'invalid_request', issues } } : null;
}

/**
 * Someone the API names: `author {id, name}` with either given. An author named only by name is still
 * someone, `api:<name>`, so the thread shows who wrote; an id is kept as given (chat ids are refused
 * before this, by `chatIdentities`).
 */
export function apiPerson(person: { id?: string; name?: string }): { id: string; name: string | null } {
  return { id: person.id ?? `api:${person.name ?? 'unknown'}`, name: person.name ?? null };
}

/** A refusal as an answer; an INVALID_INPUT from a verb or the action table names the body's fields. */
export function actionRefusal(failure: Failure): Answer {
  if (failure.code !== 'INVALID_INPUT' || !failure.issues) return refusal(failure);
  const issues = failure.issues.map((i) => ({ ...i, path: i.path === '(action)' ? '(body)' : i.path }));
  return { status: 400, body: { error: 'invalid_request', issues } };
}
