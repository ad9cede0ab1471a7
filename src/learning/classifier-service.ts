import type { LabeledText, ReasonClassifier } from '../core/reasons/classifier.ts';
import type { Logger } from '../lib/logger.ts';

export interface ClassifierServiceOptions {
  /** Reads every stored label (human or intake); called on each retraining. */
  loadLabels: () => LabeledText[];
  /** Trains on the labels; koe passes `trainInThread`, tests may train synchronously. */
  train: (examples: readonly LabeledText[]) => ReasonClassifier | Promise<ReasonClassifier>;
  log: Logger;
  /** Labels arriving within this window are learnt in one retraining (default 30 s). */
  debounceMs?: number;
  /** Fewer labels than this (or fewer than two reasons) and the classifier stays off: it would only guess. */
  minLabels?: number;
  now?: () => number;
}

export interface ClassifierStatus {
  trainedOn: number;
  reasons: number;
  trainedAt: number | null;
  trainingMs: number | null;
}

/** Keeps a trained classifier and retrains it, debounced, as labels arrive. */
export interface ClassifierService {
  /** The model in use now; null until enough labels have been learnt. */
  current(): ReasonClassifier | null;
  /** A label was stored (ctx.onLabeled): retrain within `debounceMs`, off the request path. */
  noteLabel(): void;
  /** Trains now; settles when the new model is in use (at once when `train` is synchronous). */
  retrainNow(): Promise<void>;
  /** Schedules the first training soon after start, so start-up does not wait for it. */
  start(): void;
  stop(): void;
  status(): ClassifierStatus;
}

/**
 * The classifier service. Training runs from a timer, never inside the verb that stored the label,
 * and (in koe) on a worker thread, so neither a chat command nor an intake request waits for it;
 * the new model replaces the old one atomically (one assignment), and a failed training keeps the
 * old one.
 */
export function createClassifierService(options: ClassifierServiceOptions): ClassifierService {
  const debounceMs = options.debounceMs ?? 30_000;
  const minLabels = options.minLabels ?? 10;
  const now = options.now ?? Date.now;
  let model: ReasonClassifier | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let status: ClassifierStatus = { trainedOn: 0, reasons: 0, trainedAt: null, trainingMs: null };

  let training = false;
  let again = false;

  function retrainNow(): Promise<void> {
    // One training at a time; labels that arrive meanwhile are learnt by one more run after it.
    if (training) {
      again = true;
      return Promise.resolve();
    }
    const started = performance.now();
    const done = (): Promise<void> => {
      training = false;
      if (again && !stopped) {
        again = false;
        return retrainNow();
      }
      return Promise.resolve();
    };
    const failed = (error: unknown): Promise<void> => {
      options.log.error({ err: error }, 'classifier: retraining failed; keeping the previous model');
      return done();
    };
    const use = (trained: ReasonClassifier): Promise<void> => {
      model = trained;
      const trainingMs = Math.round(performance.now() - started);
      status = { trainedOn: trained.trainedOn, reasons: trained.labels.length, trainedAt: now(), trainingMs };
      options.log.info(
        { labels: trained.trainedOn, reasons: trained.labels.length, trainingMs },
        'classifier: retrained',
      );
      return done();
    };
    training = true;
    try {
      const labels = options.loadLabels();
      const reasons = new Set(labels.map((l) => l.reasonId)).size;
      if (labels.length < minLabels || reasons < 2) {
        model = null;
        status = { trainedOn: 0, reasons, trainedAt: now(), trainingMs: null };
        options.log.debug({ labels: labels.length, reasons }, 'classifier: too few labels to train');
        return done();
      }
      const trained = options.train(labels);
      return trained instanceof Promise ? trained.then(use, failed) : use(trained);
    } catch (error) {
      return failed(error);
    }
  }

  function schedule(delayMs: number): void {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!stopped) void retrainNow();
    }, delayMs);
    timer.unref();
  }

  return {
    current: () => model,
    noteLabel: () => schedule(debounceMs),
    retrainNow,
    start() {
      stopped = false;
      schedule(0);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    status: () => status,
  };
}
