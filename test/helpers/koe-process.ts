import { once } from 'node:events';
import { startCli } from './run-cli.ts';
import { waitFor } from './wait-for.ts';

/** `koe start` running as a real child process, on the port it chose (PORT=0) and logged. */
export interface KoeProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything it printed so far (JSON log lines). */
  output: () => string;
  /** Sends `signal` (SIGKILL by default) and resolves with the exit code and signal once it is gone. */
  kill: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** POST/GET to the intake API with the bearer token. */
  api: (path: string, json?: unknown) => Promise<Response>;
}

/**
 * Starts `node bin/koe.js start` in `cwd` with exactly `env` (plus PATH), waits for its
 * "koe is listening" line and reads the port from it. Rejects if it exits or stays silent.
 */
export async function startKoeProcess(options: {
  cwd: string;
  env: Record<string, string>;
  intakeToken: string;
  timeoutMs?: number;
}): Promise<KoeProcess> {
  const { child, output } = startCli({ cwd: options.cwd, env: { PORT: '0', HOST: '127.0.0.1', ...options.env } });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let gone = false;
  void exited.then(() => (gone = true));
  const listening = () =>
    output()
      .split('\n')
      .find((l) => l.includes('"msg":"koe is listening"'));
  try {
    await waitFor(() => gone || listening() !== undefined, options.timeoutMs ?? 30_000, 'koe to listen');
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; it printed:\n${output().slice(-2_000)}`);
  }
  if (gone) throw new Error(`koe exited before listening:\n${output().slice(-2_000)}`);
  const port = Number(JSON.parse(listening()!).port);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    pid: child.pid!,
    output,
    kill: async (signal = 'SIGKILL') => {
      if (!gone) child.kill(signal);
      return exited;
    },
    api: (path, json) =>
      fetch(`${url}${path}`, {
        method: json === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${options.intakeToken}`,
          ...(json !== undefined && { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
  };
}
