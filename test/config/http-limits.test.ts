import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { DEFAULT_HTTP_LIMITS } from '../../src/lib/http-limits.ts';
import { startKoe } from '../helpers/koe-instance.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * The HTTP server's connection caps and timeouts come from the environment (`KOE_HTTP_*`), so a koe
 * behind a reverse proxy (where every client has the proxy's address) can lift the per-address cap.
 */

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const load = (env: Record<string, string>) => loadConfig({ env, cwd: dir, dotenv: false });

function problems(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('KOE_HTTP_* settings', () => {
  it('default to the limits the README documents', () => {
    expect(load({}).http).toEqual(DEFAULT_HTTP_LIMITS);
    expect(DEFAULT_HTTP_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 2_048,
      maxConnectionsPerAddress: 256,
    });
  });

  it('takes each one from the environment, and an empty value as unset', () => {
    const config = load({
      KOE_HTTP_MAX_CONNECTIONS: '5000',
      KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: ' 4000 ',
      KOE_HTTP_HEADERS_TIMEOUT_MS: '2000',
      KOE_HTTP_REQUEST_TIMEOUT_MS: '60000',
      KOE_HTTP_KEEP_ALIVE_TIMEOUT_MS: '',
    });
    expect(config.http).toEqual({
      maxConnections: 5000,
      maxConnectionsPerAddress: 4000,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
    });
  });

  it('turns the per-address cap off behind a reverse proxy: the total cap alone applies', () => {
    expect(load({ KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: 'off' }).http.maxConnectionsPerAddress).toBe(2_048);
    const config = load({ KOE_HTTP_MAX_CONNECTIONS: '9000', KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: 'OFF' });
    expect(config.http.maxConnectionsPerAddress).toBe(9000);
  });

  it.each([
    ['KOE_HTTP_MAX_CONNECTIONS', 'lots', 'open connections in all: a whole number from 1 to 1000000 (default 2048)'],
    ['KOE_HTTP_MAX_CONNECTIONS', '0', 'from 1 to 1000000'],
    ['KOE_HTTP_MAX_CONNECTIONS', '2000000', 'from 1 to 1000000'],
    ['KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS', '-1', 'or off behind a reverse proxy'],
    ['KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS', 'none', 'or off behind a reverse proxy'],
    ['KOE_HTTP_HEADERS_TIMEOUT_MS', '1.5', 'milliseconds to wait for a request’s headers: a whole number from 1000'],
    ['KOE_HTTP_REQUEST_TIMEOUT_MS', '10s', 'milliseconds to wait for a whole request'],
    ['KOE_HTTP_KEEP_ALIVE_TIMEOUT_MS', '0', 'milliseconds an idle connection stays open: a whole number from 1'],
  ])('refuses %s=%s with a sentence naming the setting, what it holds and the value', (name, value, expected) => {
    const found = problems({ [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${name}: expected `));
    expect(found[0]).toContain(expected);
    expect(found[0]).toContain(`got ${JSON.stringify(value)}`); // not a secret: echoed back
  });

  it('refuses a per-address cap above the total, saying what to do', () => {
    expect(problems({ KOE_HTTP_MAX_CONNECTIONS: '100', KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '256' })).toEqual([
      'KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: 256 is more than KOE_HTTP_MAX_CONNECTIONS (100); lower it, or set it to off behind a reverse proxy',
    ]);
  });

  it('refuses headers that may take longer than the whole request', () => {
    const found = problems({ KOE_HTTP_HEADERS_TIMEOUT_MS: '40000' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^KOE_HTTP_HEADERS_TIMEOUT_MS: 40000 is longer than KOE_HTTP_REQUEST_TIMEOUT_MS \(30000\)/,
    );
  });
});

describe('a koe started with KOE_HTTP_* settings', () => {
  it('caps the connections of one address as the environment says; /healthz answers from another', async () => {
    const k = await startKoe(null, { KOE_HTTP_MAX_CONNECTIONS: '40', KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const port = Number(new URL(k.url).port);
    const sockets: Socket[] = [];
    const open = new Set<Socket>();
    try {
      for (let i = 0; i < 8; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
          sockets.push(socket);
          open.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => {
            open.delete(socket);
            resolve();
          });
          socket.on('connect', () => resolve());
        });
      }
      await waitFor(() => open.size === 3, 10_000, 'koe to keep only 3 connections from 127.0.0.2');
      const status = await new Promise<number>((resolve, reject) => {
        const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
      expect(status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
      await k.stop();
    }
  });
});
