// Runs on a worker thread: trains one half of the contact-reason classifier (the model, or its
// calibration) and hands it back as data, transferring the model's arrays instead of copying them.
import { parentPort, workerData } from 'node:worker_threads';
import {
  type ClassifierOptions,
  fitCalibrationData,
  type LabeledText,
  trainModelData,
} from '../core/reasons/classifier.ts';

const { examples, options, part } = workerData as {
  examples: LabeledText[];
  options: ClassifierOptions;
  part: 'model' | 'calibration';
};
if (part === 'calibration') {
  parentPort!.postMessage(fitCalibrationData(examples, options));
} else {
  const data = trainModelData(examples, options);
  const transfer = [
    data.model?.weights.buffer,
    data.model?.dense?.buffer,
    data.features?.hashes.buffer,
    data.features?.idf.buffer,
  ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  parentPort!.postMessage(data, transfer);
}
