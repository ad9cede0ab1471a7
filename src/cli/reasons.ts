import { type Config, loadConfig } from '../config/load-config.ts';
import type { LabeledText } from '../core/reasons/classifier.ts';
import { DEFAULT_THRESHOLD } from '../core/reasons/classifier.ts';
import { crossValidate, formatCrossValidation } from '../core/reasons/evaluate.ts';
import { lazySentenceEncoder, withEmbeddings } from '../learning/sentence-encoder.ts';
import { createLogger } from '../lib/logger.ts';
import { openStorage } from '../storage/index.ts';
import { type CommandSpec, parseOptions, UsageError } from './args.ts';
import { didYouMean } from './did-you-mean.ts';
import { readLabelFile } from './label-file.ts';
import type { Command } from './index.ts';

const list: CommandSpec = {
  path: 'reasons list',
  summary: 'the contact reasons in use, with how many stored labels each has',
  args: '',
  options: {},
  examples: ['npx koe reasons list'],
};

const evaluate: CommandSpec = {
  path: 'reasons eval',
  summary:
    'how well the classifier would do on your stored labels or a file of them (k-fold), and which labels would help most',
  args: '[--folds 5] [--seed N] [--thresholds 0.5,0.6] [--labels FILE] [--format text|json]',
  options: {
    folds: { type: 'string', value: 'N', description: 'how many folds (default 5)' },
    seed: { type: 'string', value: 'N', description: 'the shuffle’s seed (default 1)' },
    thresholds: { type: 'string', value: '0.5,0.6', description: 'confidence thresholds to compare' },
    labels: {
      type: 'string',
      value: 'FILE',
      description: 'measure on a JSON Lines file of {"text", "reason"} lines instead of the stored labels',
    },
    format: { type: 'string', choices: ['text', 'json'], description: 'how to print it (default text)' },
  },
  examples: [
    'npx koe reasons eval --folds 10 --thresholds 0.5,0.7',
    'npx koe reasons eval --labels test/fixtures/reasons-dev-ja.jsonl',
  ],
};

const spec: CommandSpec = {
  path: 'reasons',
  summary: 'list contact reasons with their labels, or measure the classifier on them (k-fold)',
  args: '[list | eval [options]]',
  options: {},
  examples: ['npx koe reasons', 'npx koe reasons eval'],
};

/** `list` or `eval` and the rest of the arguments (list when none is named). */
function splitAction(args: string[]): { action: 'list' | 'eval'; rest: string[] } {
  // Only the first word names the command: a later one is an option's value (`--status dead`).
  const at = args[0] !== undefined && !args[0].startsWith('-') ? 0 : -1;
  const word = at === -1 ? 'list' : args[at]!;
  if (word !== 'list' && word !== 'eval') {
    throw new UsageError(spec.path, `unknown command "${word}" (list | eval).${didYouMean(word, ['list', 'eval'])}`);
  }
  return { action: word, rest: args.filter((_, i) => i !== at) };
}

/** The numbers eval takes, checked; a UsageError names the one that is wrong. */
function evalSettings(values: Record<string, unknown>) {
  const raw = { folds: (values.folds as string) ?? '5', seed: (values.seed as string) ?? '1' };
  const folds = Number(raw.folds);
  const seed = Number(raw.seed);
  const given = values.thresholds as string | undefined;
  const thresholds = given?.split(',').map((t) => Number(t.trim()));
  if (!Number.isInteger(folds) || folds < 2) {
    throw new UsageError(evaluate.path, `--folds must be a whole number of at least 2; got "${raw.folds}".`);
  }
  if (!Number.isInteger(seed)) throw new UsageError(evaluate.path, `--seed must be a whole number; got "${raw.seed}".`);
  if (thresholds?.some((t) => !Number.isFinite(t) || t < 0 || t > 1)) {
    throw new UsageError(evaluate.path, `--thresholds must be numbers between 0 and 1; got "${given}".`);
  }
  const labelFile = values.labels as string | undefined;
  if (labelFile === '') throw new UsageError(evaluate.path, '--labels needs the path of a JSON Lines file.');
  return { folds, seed, thresholds, labelFile, format: (values.format as string | undefined) ?? 'text' };
}

export const command: Command = {
  spec,
  subcommands: [list, evaluate],
  async run(args) {
    const { action, rest } = splitAction(args);
    const { values: parsed } = parseOptions(action === 'list' ? list : evaluate, rest);
    const settings = evalSettings(parsed);
    const config = loadConfig();
    if (action === 'eval' && settings.labelFile !== undefined) {
      const file = readLabelFile(
        settings.labelFile,
        config.reasons.map((r) => r.id),
      );
      if ('problem' in file) {
        console.error(`koe reasons eval: ${file.problem}`);
        return 1;
      }
      return evaluateLabels(config, file.labels, settings, { labelsFrom: settings.labelFile });
    }
    const storage = openStorage(config.databasePath);
    try {
      if (action === 'list') {
        const counts = new Map(storage.countLabels().map((c) => [c.reasonId, c.count]));
        const width = Math.max(6, ...config.reasons.map((r) => r.id.length));
        console.log(`${'reason'.padEnd(width)}  labels  label`);
        for (const r of config.reasons) {
          console.log(`${r.id.padEnd(width)}  ${String(counts.get(r.id) ?? 0).padStart(6)}  ${r.label[config.locale]}`);
        }
        return 0;
      }
      const labels = storage.loadLabels({ reasonIds: config.reasons.map((r) => r.id) });
      return await evaluateLabels(config, labels, settings, { labelsFrom: 'database' });
    } finally {
      storage.close();
    }
  },
};

/** The labels with their sentence embeddings where koe would make them (English texts, the encoder on). */
async function embedded(config: Config, labels: LabeledText[]): Promise<LabeledText[]> {
  if (!config.classifier.sentenceEncoder) return labels;
  const encoder = lazySentenceEncoder({ log: createLogger('warn', process.stderr) });
  try {
    return await withEmbeddings(encoder, labels);
  } finally {
    await encoder.close();
  }
}

/** Cross-validates the classifier on `labels` as koe would train it (with the taxonomy's rules) and prints the report. */
async function evaluateLabels(
  config: Config,
  unembedded: LabeledText[],
  settings: ReturnType<typeof evalSettings>,
  where: { labelsFrom: string },
): Promise<number> {
  const { folds, seed, thresholds } = settings;
  const labels = unembedded.length < folds ? unembedded : await embedded(config, unembedded);
  if (labels.length < folds) {
    const stored = where.labelsFrom === 'database' ? 'stored' : `in ${where.labelsFrom}`;
    console.error(
      `koe reasons eval: ${labels.length} labels ${stored}; at least ${folds} are needed for ${folds}-fold cross-validation`,
    );
    return 1;
  }
  const threshold = config.classifier.threshold ?? DEFAULT_THRESHOLD;
  const report = crossValidate(labels, {
    folds,
    seed,
    ...(thresholds ? { thresholds: [...thresholds, threshold] } : {}),
    classifier: { threshold, reasons: config.reasons },
    reasonIds: config.reasons.map((r) => r.id),
  });
  if (settings.format === 'json') {
    console.log(JSON.stringify({ labelsFrom: where.labelsFrom, threshold, ...report }, null, 2));
    return 0;
  }
  const atThreshold = report.tradeoff.find((t) => t.threshold === threshold);
  if (where.labelsFrom !== 'database') console.log(`labels from ${where.labelsFrom}`);
  console.log(formatCrossValidation(report));
  if (atThreshold) {
    console.log(
      `\nat the configured threshold ${threshold}: ${(atThreshold.coverage * 100).toFixed(1)}% of inquiries get a reason automatically, ` +
        `${(atThreshold.accuracy * 100).toFixed(1)}% of those correctly; the rest stay unclassified for a person.`,
    );
  }
  console.log(
    where.labelsFrom === 'database'
      ? "(recall = held-out accuracy on that reason's inquiries; labels are those set by people or given at intake)"
      : "(recall = held-out accuracy on that reason's inquiries)",
  );
  return 0;
}
