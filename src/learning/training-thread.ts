// Runs on a worker thread: trains the contact-reason classifier and hands the model back as data,
// transferring its arrays instead of copying them.
import { parentPort, workerData } from 'node:worker_threads';
import { type ClassifierOptions, type LabeledText, trainClassifierData } from '../core/reasons/classifier.ts';

const { examples, options } = workerData as { examples: LabeledText[]; options: ClassifierOptions };
const data = trainClassifierData(examples, options);
const transfer = [data.model?.weights.buffer, data.features?.hashes.buffer, data.features?.idf.buffer].filter(
  (b): b is ArrayBuffer => b instanceof ArrayBuffer,
);
parentPort!.postMessage(data, transfer);
