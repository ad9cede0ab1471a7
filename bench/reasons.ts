/**
 * Benchmark of the contact-reason classifier on BANKING77 (real customer
 * banking queries, 77 reasons): accuracy, abstention trade-off and speed
 * (including a 100,000-character inquiry, whose cost the unit tests leave here),
 * each beside a multinomial naive Bayes baseline run in the same process,
 * since machine speed varies and only ratios compare across runs.
 *
 *   node --import tsx bench/reasons.ts          (npm run bench:reasons)
 *
 * Then the same with the sentence encoder koe runs on English inquiries (reasons-encoder.ts).
 *
 * Data: ../shared/datasets/banking77 beside the repo, or KOE_BANKING77_DIR.
 * Exits 1 if accuracy on test.csv falls under ACCURACY_FLOOR (words and rules alone) or
 * ENCODER_ACCURACY_FLOOR (with the encoder).
 */
import { seededRandom, shuffleInPlace } from '../src/core/reasons/classifier-random.ts';
import { DEFAULT_THRESHOLD, type LabeledText, trainClassifier } from '../src/core/reasons/classifier.ts';
import { MAX_TEXT_CHARS, tokenizeWords } from '../src/core/reasons/tokenize.ts';
import { readFileSync } from 'node:fs';
import { evaluatePipeline, formatOutcome } from '../src/core/reasons/evaluate-pipeline.ts';
import { DEFAULT_REASONS } from '../src/core/reasons/taxonomy.ts';
import { trainInThread } from '../src/learning/train-in-thread.ts';
import { reportWithEncoder } from './reasons-encoder.ts';
import { BANKING77_DIR as dataDir, haveBanking77, loadBanking77 as loadSplit } from './banking77.ts';

/** The Japanese development set (test/fixtures/reasons-dev-ja.jsonl): rules alone, then after 100 labels. */
function reportDevSet(): void {
  const dev = readFileSync(new URL('../test/fixtures/reasons-dev-ja.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { text: string; reason: string })
    .map((e) => ({ text: e.text, reasonId: e.reason }));
  const report = evaluatePipeline(dev, DEFAULT_REASONS, { labels: 100, splits: 5 });
  console.log(`\ndevelopment set (ja, ${dev.length} inquiries, 8 default reasons)`);
  console.log(`  cold (default rules only):       ${formatOutcome(report.cold)}`);
  console.log(
    `  after 100 labels, at ${report.learned!.threshold}:       ${formatOutcome(report.learned!.atThreshold)}`,
  );
  console.log(`  after 100 labels, forced (0):    ${formatOutcome(report.learned!.forced)}`);
}

/** A CLINC150-sized taxonomy (150 reasons, 15,000 labels) trained on a worker thread, as koe does. */
async function timeLargeTaxonomy(train: readonly LabeledText[], test: readonly LabeledText[]): Promise<void> {
  // BANKING77's texts with each reason split in two by position: 154 reasons, only the timing matters.
  const all = [...train, ...test];
  const labels = Array.from({ length: 15_000 }, (_, i) => {
    const e = all[i % all.length]!;
    return { text: i >= all.length ? `${e.text} ${i}` : e.text, reasonId: `${e.reasonId}-${i % 2}` };
  });
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const model = await trainInThread(labels);
  const trainMs = performance.now() - start;
  // CPU of every thread of the process: on a busy machine the wall time says more about the neighbours.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const run = timeClassify(test, (text) => model.classify(text).reasonId);
  console.log(
    `train ${labels.length} labels, ${model.labels.length} reasons on two worker threads (model and calibration): ${fmt(trainMs, 0)} ms (CPU ${fmt(cpuMs, 0)} ms over all threads); classify mean ${fmt(run.meanMicros)} µs, p99 ${fmt(run.p99Micros)} µs`,
  );
}

/** The published TF-IDF + logistic regression baseline on this split scores about 91 %. */
const ACCURACY_FLOOR = 0.91;
/** The contact-reason issue's floor for BANKING77 answering everything. */
const ENCODER_ACCURACY_FLOOR = 0.925;
const TEN_THOUSAND = 10_000;
const HUNDRED_THOUSAND = 100_000;

/**
 * The baseline: multinomial naive Bayes over word unigrams with add-one
 * smoothing, on the same tokenizer, so the ratios measure the model.
 */
function trainNaiveBayes(examples: readonly LabeledText[]): (text: string) => string {
  const labels = [...new Set(examples.map((e) => e.reasonId))].sort();
  const vocabulary = new Map<string, number>();
  const docs = examples.map((e) => tokenizeWords(e.text));
  for (const words of docs) for (const w of words) if (!vocabulary.has(w)) vocabulary.set(w, vocabulary.size);
  const V = vocabulary.size;
  const counts = labels.map(() => new Float64Array(V));
  const totals = new Float64Array(labels.length);
  const prior = new Float64Array(labels.length);
  examples.forEach((e, n) => {
    const c = labels.indexOf(e.reasonId);
    prior[c]!++;
    for (const w of docs[n]!) {
      counts[c]![vocabulary.get(w)!]!++;
      totals[c]!++;
    }
  });
  const logPrior = Array.from(prior, (p) => Math.log(p / examples.length));
  const logLikelihood = counts.map((row, c) => row.map((k) => Math.log((k + 1) / (totals[c]! + V))));
  return (text) => {
    const words = tokenizeWords(text);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < labels.length; c++) {
      let score = logPrior[c]!;
      for (const w of words) {
        const i = vocabulary.get(w);
        if (i !== undefined) score += logLikelihood[c]![i]!;
      }
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return labels[best]!;
  };
}

/** Runs `classify` over `test` twice (the first pass warms the JIT) and times each call. */
function timeClassify(test: readonly LabeledText[], classify: (text: string) => string | null) {
  for (const e of test) classify(e.text);
  const micros = new Float64Array(test.length);
  let correct = 0;
  test.forEach((e, i) => {
    const start = performance.now();
    const answer = classify(e.text);
    micros[i] = (performance.now() - start) * 1000;
    if (answer === e.reasonId) correct++;
  });
  micros.sort();
  const mean = micros.reduce((s, x) => s + x, 0) / micros.length;
  const p99 = micros[Math.min(micros.length - 1, Math.floor(micros.length * 0.99))]!;
  return { accuracy: correct / test.length, meanMicros: mean, p99Micros: p99 };
}

/**
 * Times `classify` on a 100,000-character inquiry (a pasted log after a real question), after a
 * warm-up. The classifier reads only the first MAX_TEXT_CHARS characters, so this should cost a
 * small multiple of a short query; the unit test checks that the tail is not read, this its cost.
 */
function timeHugeInquiry(classify: (text: string) => unknown, runs = 50) {
  const line = 'ERROR 2026-11-23T00:05:00Z export worker: timeout reading batch 42 of 97, retrying\n';
  const text = `My card payment was declined twice today. ${line.repeat(Math.ceil(HUNDRED_THOUSAND / line.length))}`;
  for (let i = 0; i < 5; i++) classify(text);
  let total = 0;
  let max = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    classify(text);
    const micros = (performance.now() - start) * 1000;
    total += micros;
    max = Math.max(max, micros);
  }
  return { meanMicros: total / runs, maxMicros: max };
}

function timeMs<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

async function main(): Promise<number> {
  reportDevSet();
  if (!haveBanking77()) {
    console.error(`BANKING77 not found at ${dataDir} (train.csv, test.csv); set KOE_BANKING77_DIR`);
    return 2;
  }
  const train = loadSplit('train');
  const test = loadSplit('test');
  const reasons = new Set(train.map((e) => e.reasonId)).size;
  console.log(`BANKING77 from ${dataDir}`);
  console.log(`train size: ${train.length}, test size: ${test.length}, reasons: ${reasons}`);

  // Warm the JIT on a small model so the timed runs measure steady-state code.
  trainClassifier(train.filter((_, i) => i % 20 === 0)).classify('warm up');
  trainNaiveBayes(train.filter((_, i) => i % 20 === 0))('warm up');

  const koeTrain = timeMs(() => trainClassifier(train));
  const baseTrain = timeMs(() => trainNaiveBayes(train));
  const koe = koeTrain.value;
  const koeRun = timeClassify(test, (text) => koe.classify(text).ranked[0]?.reasonId ?? null);
  const baseRun = timeClassify(test, baseTrain.value);

  const shuffled = [...train];
  shuffleInPlace(shuffled, seededRandom(7));
  const tenK = timeMs(() => trainClassifier(shuffled.slice(0, TEN_THOUSAND)));
  const huge = timeHugeInquiry((text) => koe.classify(text));

  console.log('');
  console.log(
    `koe      train ${fmt(koeTrain.ms, 0)} ms; classify mean ${fmt(koeRun.meanMicros)} µs, p99 ${fmt(koeRun.p99Micros)} µs; accuracy ${pct(koeRun.accuracy)}`,
  );
  console.log(
    `baseline train ${fmt(baseTrain.ms, 0)} ms; classify mean ${fmt(baseRun.meanMicros)} µs, p99 ${fmt(baseRun.p99Micros)} µs; accuracy ${pct(baseRun.accuracy)}  (multinomial NB, word unigrams)`,
  );
  console.log(
    `classify a ${HUNDRED_THOUSAND.toLocaleString('en')}-character inquiry: mean ${fmt(huge.meanMicros)} µs, max ${fmt(huge.maxMicros)} µs (${fmt(huge.meanMicros / koeRun.meanMicros, 1)}× a test query; read up to ${MAX_TEXT_CHARS} characters)`,
  );
  console.log(`train on ${tenK.value.trainedOn} labels (${tenK.value.labels.length} reasons): ${fmt(tenK.ms, 0)} ms`);
  await timeLargeTaxonomy(train, test);

  console.log('');
  console.log('threshold  coverage  precision (accuracy among covered)');
  const thresholds = [...new Set([0.3, 0.4, 0.5, DEFAULT_THRESHOLD, 0.7, 0.8, 0.9])].sort((a, b) => a - b);
  const predictions = test.map((e) => ({ e, p: koe.classify(e.text, 0) }));
  for (const threshold of thresholds) {
    const covered = predictions.filter(({ p }) => p.reasonId !== null && p.confidence >= threshold);
    const right = covered.filter(({ e, p }) => p.reasonId === e.reasonId).length;
    const mark = threshold === DEFAULT_THRESHOLD ? '  <- default' : '';
    console.log(
      `${fmt(threshold, 2).padStart(9)}  ${pct(covered.length / test.length).padStart(8)}  ${pct(right / Math.max(1, covered.length)).padStart(9)}${mark}`,
    );
  }

  console.log('');
  console.log(`accuracy ratio koe/baseline: ${fmt(koeRun.accuracy / baseRun.accuracy, 3)}`);
  console.log(`train time ratio koe/baseline: ${fmt(koeTrain.ms / baseTrain.ms, 2)}`);
  console.log(`classify time ratio koe/baseline: ${fmt(koeRun.meanMicros / baseRun.meanMicros, 2)}`);

  const withEncoder = await reportWithEncoder(train, test);
  console.log(`accuracy ratio koe with the encoder/baseline: ${fmt(withEncoder / baseRun.accuracy, 3)}`);

  if (koeRun.accuracy < ACCURACY_FLOOR) {
    console.error(`FAIL: koe accuracy ${pct(koeRun.accuracy)} is under the floor ${pct(ACCURACY_FLOOR)}`);
    return 1;
  }
  if (withEncoder < ENCODER_ACCURACY_FLOOR) {
    console.error(`FAIL: with the encoder ${pct(withEncoder)} is under the floor ${pct(ENCODER_ACCURACY_FLOOR)}`);
    return 1;
  }
  console.log(
    `OK: koe accuracy ${pct(koeRun.accuracy)} ≥ ${pct(ACCURACY_FLOOR)}; with the encoder ${pct(withEncoder)} ≥ ${pct(ENCODER_ACCURACY_FLOOR)}`,
  );
  return 0;
}

process.exitCode = await main();
