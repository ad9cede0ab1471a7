import { Worker } from 'node:worker_threads';

/** Universal Sentence Encoder's output size. */
export const EMBEDDING_DIMS = 512;
/** The encoder and its weights' version: stored embeddings of another are not comparable. */
export const EMBEDDING_MODEL = 'use-lite-en@0.2.0';
const FAILED = -1;

/**
 * The main thread's end of the encoder thread (encoder-thread.mjs): one text at a time blocking,
 * for a classification inside a synchronous verb, or many by message, for training.
 */
export interface EncoderClient {
  status(): 'loading' | 'ready' | 'failed';
  /** Settles once the model has loaded or failed to. */
  readonly settled: Promise<void>;
  /** Blocks up to `waitMs` for one text's embedding: 'late' past it, 'failed' if the model threw. */
  one(text: string, waitMs: number): Float32Array | 'late' | 'failed';
  many(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Starts the thread; `onFail` hears once why it cannot embed (it did not load, or it stopped). */
export function startEncoderThread(modelModule: string | undefined, onFail: (why: string) => void): EncoderClient {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const vector = new Float32Array(new SharedArrayBuffer(EMBEDDING_DIMS * 4));
  const worker = new Worker(new URL('./encoder-thread.mjs', import.meta.url), {
    workerData: { state, vector, modelModule },
  });
  worker.unref();
  const pending = new Map<number, { resolve: (e: Float32Array[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let status: 'loading' | 'ready' | 'failed' = 'loading';
  let whenSettled: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    whenSettled = resolve;
  });

  const fail = (why: string) => {
    if (status === 'failed') return;
    status = 'failed';
    onFail(why);
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
    whenSettled();
  };
  worker.on('message', (message: EncoderMessage) => {
    if (message.kind === 'ready') {
      if (message.dims !== EMBEDDING_DIMS)
        return fail(`the model gives ${message.dims} numbers, not ${EMBEDDING_DIMS}`);
      status = 'ready';
      whenSettled();
    } else if (message.kind === 'failed') fail(message.message);
    else {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.embeddings);
    }
  });
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', () => fail('the encoder thread stopped'));

  return {
    status: () => status,
    settled,
    one(text, waitMs) {
      const id = nextId++;
      Atomics.store(state, 0, 0);
      worker.postMessage({ kind: 'one', id, text });
      return awaitAnswer(state, vector, id, waitMs);
    },
    many(texts) {
      const id = nextId++;
      const answer = new Promise<Float32Array[]>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ kind: 'many', id, texts });
      return answer;
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/**
 * Blocks until the encoder thread has answered request `id`. An answer to an earlier request that
 * was late may land meanwhile, so it waits for this one's id (the thread answers in order, and
 * writes the vector before the id).
 */
function awaitAnswer(state: Int32Array, vector: Float32Array, id: number, waitMs: number) {
  const deadline = performance.now() + waitMs;
  for (let now = performance.now(); now < deadline; now = performance.now()) {
    const seen = Atomics.load(state, 0);
    if (seen === id) return vector.slice();
    if (seen === FAILED) return 'failed';
    Atomics.wait(state, 0, seen, deadline - now);
  }
  return 'late';
}

type EncoderMessage =
  | { kind: 'ready'; dims: number }
  | { kind: 'failed'; message: string }
  | { kind: 'many'; id: number; embeddings: Float32Array[]; error?: undefined }
  | { kind: 'many'; id: number; error: string; embeddings?: undefined };
