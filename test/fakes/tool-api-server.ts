import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP part every tool fake shares (Channel Talk, Intercom, Zendesk): a real server on
 * 127.0.0.1:0 that records each call and answers it through the fake's own routes. A test can script
 * the next matching call: answer it with a status instead (a 429 with Retry-After), or let it land
 * (the route runs and changes the fake's state) and never answer, as a tool does when koe is killed
 * while the call is in flight.
 */

export interface ToolCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  json: any;
  /** When the call arrived (Date.now()). */
  at: number;
  /** What it was answered (0 while unanswered or never). */
  status: number;
}

export interface ToolAnswer {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export type ToolRoute = (call: ToolCall) => ToolAnswer | null;

export type Scripted = { answer: ToolAnswer } | { landThenHang: true };

export interface ToolServer {
  url: string;
  calls: ToolCall[];
  /** The next call `match` accepts is answered as `scripted` says, once. */
  script(match: (call: ToolCall) => boolean, scripted: Scripted): void;
  close(): Promise<void>;
}

export async function startToolServer(route: ToolRoute): Promise<ToolServer> {
  const calls: ToolCall[] = [];
  const scripts: Array<{ match: (call: ToolCall) => boolean; scripted: Scripted }> = [];
  const hung: ServerResponse[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const call: ToolCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      json: text ? safeJson(text) : null,
      at: Date.now(),
      status: 0,
    };
    calls.push(call);
    const i = scripts.findIndex((s) => s.match(call));
    const scripted = i >= 0 ? scripts.splice(i, 1)[0]!.scripted : null;
    if (scripted && 'answer' in scripted) return send(res, call, scripted.answer);
    const answer = route(call) ?? { status: 404, json: { error: 'not_found', path: call.path } };
    if (scripted) {
      hung.push(res); // it landed; the answer never leaves
      return;
    }
    send(res, call, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    script: (match, scripted) => scripts.push({ match, scripted }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, call: ToolCall, answer: ToolAnswer): void {
  call.status = answer.status;
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsed: text };
  }
}
