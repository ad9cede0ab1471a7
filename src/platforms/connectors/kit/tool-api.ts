import { PermanentDeliveryError, RateLimitedError } from '../../delivery-errors.ts';
import { retryAfterMs } from '../../webhook/reply-sender.ts';

/**
 * One call to a tool's REST API, with the outbox's error contract: 2xx is the parsed JSON; 429 is a
 * `RateLimitedError` that waits the tool's Retry-After; 5xx, 408, 409, a timeout or an unreachable
 * host are thrown as plain errors (retried with backoff); any other 4xx is a `PermanentDeliveryError`
 * whose message (the tool's own reason, cut short) is what staff see in the thread when a reply fails.
 */

export interface ToolCall {
  /** The tool's name, as the error messages say it (`Intercom`). */
  tool: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  json?: unknown;
  timeoutMs?: number;
}

export const TOOL_TIMEOUT_MS = 10_000;
const REASON_CHARS = 200;

export async function callTool(call: ToolCall): Promise<unknown> {
  const timeoutMs = call.timeoutMs ?? TOOL_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...(call.json !== undefined && { 'content-type': 'application/json' }),
        ...call.headers,
      },
      body: call.json === undefined ? undefined : JSON.stringify(call.json),
      // A redirect would carry the credentials somewhere the config did not name.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new Error(`${call.tool} did not answer within ${timeoutMs / 1000} s`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${call.tool} could not be reached (${cause?.code ?? cause?.message ?? String(error)})`);
  }
  const text = await response.text();
  if (response.ok) return text ? JSON.parse(text) : null;
  throw refusalOf(call.tool, response, text);
}

function refusalOf(tool: string, response: Response, text: string): Error {
  const { status } = response;
  const reason = oneLine(text) || response.statusText;
  const said = `${tool} answered ${status}${reason ? `: ${reason}` : ''}`;
  if (status === 429) return new RateLimitedError(retryAfterMs(response.headers.get('retry-after')), said);
  if (status >= 500 || status === 408 || status === 409) return new Error(said);
  return new PermanentDeliveryError(said);
}

/** The start of a refusal's body on one line: enough for staff to see why, never a whole page. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > REASON_CHARS ? `${line.slice(0, REASON_CHARS)}…` : line;
}
