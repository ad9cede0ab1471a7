import { Worker } from 'node:worker_threads';
import type { Calibration } from '../core/reasons/calibration.ts';
import {
  type ClassifierData,
  type ClassifierOptions,
  classifierFromData,
  type Embed,
  type LabeledText,
  type ReasonClassifier,
} from '../core/reasons/classifier.ts';
import { type SentenceEncoder, withEmbeddings } from './sentence-encoder.ts';

/**
 * Trains the classifier off the main thread. Training 10,000 labels takes seconds of CPU; on the
 * main thread that would hold up Slack's 3-second acks and every intake request. The model and its
 * calibration (which trains a model of its own on part of the labels) share nothing, so they train
 * on two threads at once: on two cores that halves the wait for a large taxonomy.
 */
export async function trainInThread(
  examples: readonly LabeledText[],
  options: ClassifierOptions = {},
  embed?: Embed,
): Promise<ReasonClassifier> {
  const [data, calibration] = await Promise.all([
    runPart<ClassifierData>(examples, options, 'model'),
    runPart<Calibration>(examples, options, 'calibration'),
  ]);
  return classifierFromData({ ...data, calibration }, embed);
}

/**
 * Trains on the labels and their sentence embeddings (those the encoder reads; the rest train on
 * their words), and classifies new inquiries with the encoder too. Without one it is {@link trainInThread}.
 */
export async function trainWithEncoder(
  examples: readonly LabeledText[],
  options: ClassifierOptions,
  encoder: SentenceEncoder | null,
): Promise<ReasonClassifier> {
  if (!encoder) return trainInThread(examples, options);
  return trainInThread(await withEmbeddings(encoder, examples), options, encoder.embed);
}

function runPart<T>(examples: readonly LabeledText[], options: ClassifierOptions, part: 'model' | 'calibration') {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./training-thread-entry.mjs', import.meta.url), {
      workerData: { examples, options, part },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`training thread exited with code ${code}`));
    });
  });
}
