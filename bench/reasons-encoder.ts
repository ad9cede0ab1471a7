// The classifier with the sentence encoder, as koe runs it on English labels: every label embedded
// once on the encoder's thread, the model and its calibration trained on two threads, each new
// inquiry embedded (about 10 ms) and then classified. Part of bench/reasons.ts.
import { DEFAULT_THRESHOLD, type LabeledText, type ReasonClassifier } from '../src/core/reasons/classifier.ts';
import { createSentenceEncoder } from '../src/learning/sentence-encoder.ts';
import { trainInThread } from '../src/learning/train-in-thread.ts';
import { createLogger } from '../src/lib/logger.ts';

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** Forced accuracy, then coverage and precision at each threshold. */
function report(model: ReasonClassifier, test: readonly LabeledText[]): number {
  const predictions = test.map((e) => ({ e, p: model.classify(e.text, 0) }));
  const forced = predictions.filter(({ e, p }) => p.ranked[0]?.reasonId === e.reasonId).length / test.length;
  console.log(`  forced accuracy ${pct(forced)}`);
  console.log('  threshold  coverage  precision');
  for (const threshold of [0.5, 0.6, DEFAULT_THRESHOLD, 0.8, 0.9]) {
    const covered = predictions.filter(({ p }) => p.reasonId !== null && p.confidence >= threshold);
    const right = covered.filter(({ e, p }) => p.reasonId === e.reasonId).length;
    const mark = threshold === DEFAULT_THRESHOLD ? '  <- default' : '';
    console.log(
      `  ${fmt(threshold, 2).padStart(9)}  ${pct(covered.length / test.length).padStart(8)}  ${pct(right / Math.max(1, covered.length)).padStart(9)}${mark}`,
    );
  }
  return forced;
}

/** Mean µs per call of `run` over `texts`, after one warm-up pass. */
function meanMicros(texts: readonly string[], run: (text: string) => unknown): number {
  for (const t of texts.slice(0, 50)) run(t);
  const start = performance.now();
  for (const t of texts) run(t);
  return ((performance.now() - start) * 1000) / texts.length;
}

/** BANKING77 with the encoder; returns the forced accuracy. */
export async function reportWithEncoder(train: readonly LabeledText[], test: readonly LabeledText[]): Promise<number> {
  const encoder = createSentenceEncoder({ log: createLogger('warn', process.stderr), waitMs: 10_000 });
  try {
    const embedStart = performance.now();
    const [trainVectors, testVectors] = [
      await encoder.embedAll(train.map((e) => e.text)),
      await encoder.embedAll(test.map((e) => e.text)),
    ];
    const embedMs = performance.now() - embedStart;
    const embedded = train.map((e, i) => ({ ...e, embedding: trainVectors[i] ?? null }));
    const missing = [...trainVectors, ...testVectors].filter((v) => v === null).length;
    console.log(
      `\nwith the sentence encoder (USE lite): embedded ${train.length + test.length} texts in ${fmt(embedMs / 1000)} s (${fmt(embedMs / (train.length + test.length))} ms each, loading included; ${missing} not embedded)`,
    );
    const trainStart = performance.now();
    const model = await trainInThread(embedded, {}, encoder.embed);
    console.log(`  train ${train.length} labels on two threads: ${fmt(performance.now() - trainStart, 0)} ms`);
    const forced = report(model, test);
    const texts = test.map((e) => e.text);
    const cached = meanMicros(texts, (t) => model.classify(t));
    // New texts: each is embedded on the encoder's thread while the caller waits, as at intake.
    const fresh = meanMicros(
      texts.slice(0, 300).map((t) => `${t} (again)`),
      (t) => model.classify(t),
    );
    console.log(
      `  classify mean ${fmt(cached)} µs once the text is embedded; a new text ${fmt(fresh / 1000)} ms with its embedding`,
    );
    await timeLargeTaxonomy(train, test, trainVectors, testVectors);
    return forced;
  } finally {
    await encoder.close();
  }
}

/** 154 reasons, 15,000 labels with embeddings (reused from the texts they repeat: only the time matters). */
async function timeLargeTaxonomy(
  train: readonly LabeledText[],
  test: readonly LabeledText[],
  trainVectors: (Float32Array | null)[],
  testVectors: (Float32Array | null)[],
): Promise<void> {
  const all = [...train, ...test];
  const vectors = [...trainVectors, ...testVectors];
  const labels = Array.from({ length: 15_000 }, (_, i) => {
    const e = all[i % all.length]!;
    const text = i >= all.length ? `${e.text} ${i}` : e.text;
    return { text, reasonId: `${e.reasonId}-${i % 2}`, embedding: vectors[i % all.length] ?? null };
  });
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const model = await trainInThread(labels);
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `  train ${labels.length} labels, ${model.labels.length} reasons with embeddings on two threads: ${fmt(performance.now() - start, 0)} ms (CPU ${fmt((cpu.user + cpu.system) / 1000, 0)} ms over all threads)`,
  );
}
