import { Worker } from 'node:worker_threads';
import {
  type ClassifierData,
  type ClassifierOptions,
  classifierFromData,
  type LabeledText,
  type ReasonClassifier,
} from '../core/reasons/classifier.ts';

/**
 * Trains the classifier on a worker thread. Training 10,000 labels takes about two seconds of
 * CPU; on the main thread that would hold up Slack's 3-second acks and every intake request.
 */
export function trainInThread(
  examples: readonly LabeledText[],
  options: ClassifierOptions = {},
): Promise<ReasonClassifier> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./training-thread-entry.mjs', import.meta.url), {
      workerData: { examples, options },
    });
    worker.once('message', (data: ClassifierData) => resolve(classifierFromData(data)));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`training thread exited with code ${code}`));
    });
  });
}
