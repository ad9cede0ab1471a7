import type { LabeledText, ReasonClassifier } from '../core/reasons/classifier.ts';
import type { Logger } from '../lib/logger.ts';

export interface ClassifierServiceOptions {
  /** Reads every stored label (human or intake); called on each retraining. */
  loadLabels: () => LabeledText[];
  train: (examples: readonly LabeledText[]) => ReasonClassifier;
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
  /** Trains now, synchronously (start-up, tests, `koe reasons`). */
  retrainNow(): void;
  /** Schedules the first training soon after start, so start-up does not wait for it. */
  start(): void;
  stop(): void;
  status(): ClassifierStatus;
}

/**
 * The classifier service. Training runs from a timer, never inside the verb that stored the label,
 * so a chat command or an intake request never waits for it; the new model replaces the old one
 * atomically (one assignment), and a failed training keeps the old one.
 */
export function createClassifierService(options: ClassifierServiceOptions): ClassifierService {
  const debounceMs = options.debounceMs ?? 30_000;
  const minLabels = options.minLabels ?? 10;
  const now = options.now ?? Date.now;
  let model: ReasonClassifier | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let status: ClassifierStatus = { trainedOn: 0, reasons: 0, trainedAt: null, trainingMs: null };

  function retrainNow(): void {
    const started = performance.now();
    try {
      const labels = options.loadLabels();
      const reasons = new Set(labels.map((l) => l.reasonId)).size;
      if (labels.length < minLabels || reasons < 2) {
        model = null;
        status = { trainedOn: 0, reasons, trainedAt: now(), trainingMs: null };
        options.log.debug({ labels: labels.length, reasons }, 'classifier: too few labels to train');
        return;
      }
      const trained = options.train(labels);
      model = trained;
      const trainingMs = Math.round(performance.now() - started);
      status = { trainedOn: trained.trainedOn, reasons: trained.labels.length, trainedAt: now(), trainingMs };
      options.log.info({ labels: trained.trainedOn, reasons: trained.labels.length, trainingMs }, 'classifier: retrained');
    } catch (error) {
      options.log.error({ err: error }, 'classifier: retraining failed; keeping the previous model');
    }
  }

  function schedule(delayMs: number): void {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!stopped) retrainNow();
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
