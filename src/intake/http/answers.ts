import type { z } from 'zod';
import type { Failure } from '../../core/errors.ts';
import { CONTACT_FORM_SOURCE } from '../../core/surfaces.ts';

export const MAX_BODY_BYTES = 1024 * 1024; // 1 MiB

/** An HTTP answer, independent of how it is sent (hono, or node's response on the fast route). */
export interface Answer {
  status: 200 | 201 | 202 | 400 | 401 | 404 | 409 | 413 | 500 | 503;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Answer and close the connection: for a request whose body koe will not read (no token, over the
   * limit). Draining it to keep the connection alive would let anyone push bytes at koe for as long
   * as they like.
   */
  close?: true;
}

/** Each problem zod found, with its dotted path; `root` names the whole input (the body, the query). */
export function issuesOf(error: z.ZodError, root = '(body)') {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || root, message: i.message }));
}

export const invalid = (error: z.ZodError, root = '(body)'): Answer => ({
  status: 400,
  body: { error: 'invalid_request', issues: issuesOf(error, root) },
});

export const internalError: Answer = { status: 500, body: { error: 'internal_error' } };

export const unauthorized: Answer = {
  status: 401,
  body: { error: 'unauthorized', message: 'missing or wrong bearer token (KOE_INTAKE_TOKEN)' },
  headers: { 'WWW-Authenticate': 'Bearer realm="koe"' },
  close: true,
};

export const tooLarge: Answer = {
  status: 413,
  body: { error: 'payload_too_large', message: `body over ${MAX_BODY_BYTES} bytes` },
  close: true,
};

/** What a verb's refusal means over HTTP. */
export function refusal(failure: Failure): Answer {
  if (failure.code === 'NOT_FOUND')
    return { status: 404, body: { error: 'not_found', message: `inquiry ${failure.inquiryId} not found` } };
  if (failure.code === 'UNKNOWN_REASON') {
    return {
      status: 400,
      body: {
        error: 'invalid_request',
        issues: [{ path: 'reason', message: `unknown reason; valid ids: ${failure.validReasons?.join(', ')}` }],
        validReasons: failure.validReasons,
      },
    };
  }
  return {
    status: 409,
    body: {
      error: failure.code.toLowerCase(),
      message: conflictMessage(failure),
      ...(failure.by && { by: failure.by }),
      ...(failure.code === 'NO_WAY_BACK' && { source: failure.source, url: failure.url ?? null }),
    },
  };
}

/** A 409's sentence: what state the inquiry is in, and what would change that. */
function conflictMessage(failure: Failure): string {
  const it = `inquiry ${failure.inquiryId ?? ''}`.trim();
  switch (failure.code) {
    case 'ALREADY_CLAIMED':
      return `${it} is already claimed by ${failure.by?.name ?? failure.by?.id ?? 'someone'}; assign it to take it over`;
    case 'ALREADY_YOURS':
      return `${it} is already held by that actor`;
    case 'ALREADY_RESOLVED':
      return `${it} is already resolved; reopen it first`;
    case 'NOT_CLAIMED':
      return `${it} is not claimed by anyone`;
    case 'NOT_RESOLVED':
      return `${it} is not resolved, so there is nothing to reopen`;
    case 'NO_WAY_BACK':
      return noWayBack(it, failure);
    case 'TOO_LATE_TO_UNDO':
      return `that reply of ${it} has already left (or was undone), so it cannot be taken back`;
    case 'NOT_FAILED':
      return `that reply of ${it} has not failed; only a failed reply can be retried`;
    default:
      return failure.message ?? failure.code;
  }
}

/**
 * Where to answer instead, when koe cannot carry a reply back: the link to where the customer wrote
 * when there is one, and for an API source the setting that would give it a way back. A contact-form
 * customer gave an email address, and that is where to answer.
 */
function noWayBack(it: string, failure: Failure): string {
  const source = failure.source ?? '?';
  if (source === CONTACT_FORM_SOURCE) {
    return `koe has no way back to the customer of ${it} (source "${source}", the contact form) until replies by email are built: write to the email address the customer gave, or give "${source}" a reply webhook in replies.webhooks`;
  }
  const where = failure.url
    ? `answer the customer where they wrote (${failure.url})`
    : `answer the customer in ${source}`;
  const chat = /^(slack|discord):/.test(source);
  const fix = chat ? '' : `, or give "${source}" a reply webhook in replies.webhooks`;
  return `koe has no way back to the customer of ${it} (source "${source}"): ${where}${fix}`;
}

// A lone surrogate can reach koe only as a JSON escape (`"\ud800"`: raw bytes that are not UTF-8
// decode to U+FFFD already). SQLite stores text as UTF-8, where half a pair becomes three bytes that
// read back as three U+FFFD; replacing it with one U+FFFD first keeps what koe stores, returns and
// mirrors the same, and well-formed.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k) as string, wellFormed(v)]));
  }
  return value;
}

/** Parses a request body as JSON (with lone surrogates replaced); or the 400 to answer. */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false; answer: Answer } {
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value: SURROGATE_ESCAPE.test(text) ? wellFormed(value) : value };
  } catch (error) {
    return {
      ok: false,
      answer: {
        status: 400,
        body: { error: 'invalid_json', message: `body is not valid JSON: ${(error as Error).message}` },
      },
    };
  }
}
