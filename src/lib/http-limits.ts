/** How long koe's HTTP server waits on a client, and how many connections it keeps. */
export interface HttpLimits {
  /** From a connection's start (or its previous answer) to the end of a request's headers; then 408 and closed. */
  headersTimeoutMs: number;
  /** From a connection's start (or its previous answer) to the end of a whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after an answer. */
  keepAliveTimeoutMs: number;
  /** Open connections at most, every address together. */
  maxConnections: number;
  /** Open connections at most from one remote address (behind a proxy, every client is the proxy). */
  maxConnectionsPerAddress: number;
}

/**
 * koe answers in milliseconds, and its largest body is 1 MiB: ten seconds for the headers and thirty
 * for a whole request are generous to any honest client and short for a socket held open on purpose
 * (node's own defaults are a minute and five). The environment can change each (src/config: the
 * `KOE_HTTP_*` variables); this is what koe uses when it does not.
 */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_048,
  maxConnectionsPerAddress: 256,
};
