import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { DEFAULT_THRESHOLD } from '../core/reasons/classifier.ts';
import { crossValidate, formatCrossValidation } from '../core/reasons/evaluate.ts';
import { openStorage } from '../storage/index.ts';
import type { Command } from './index.ts';

const USAGE = 'reasons [list | eval [--folds 5] [--seed N] [--thresholds 0.5,0.6] [--format text|json]]';

export const command: Command = {
  name: 'reasons',
  summary: 'list contact reasons with their labels, or measure the classifier on them (k-fold)',
  usage: USAGE,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          folds: { type: 'string', default: '5' },
          seed: { type: 'string', default: '1' },
          thresholds: { type: 'string' },
          format: { type: 'string', default: 'text' },
        },
      });
    } catch (error) {
      console.error(`koe reasons: ${(error as Error).message}\nusage: koe ${USAGE}`);
      return 2;
    }
    const { values, positionals } = parsed;
    const action = positionals[0] ?? 'list';
    const folds = Number(values.folds);
    const seed = Number(values.seed);
    const thresholds = values.thresholds?.split(',').map((t) => Number(t.trim()));
    if (!Number.isInteger(folds) || folds < 2) {
      console.error(`koe reasons: --folds must be a whole number ≥ 2, got "${values.folds}"`);
      return 2;
    }
    if (!Number.isInteger(seed)) {
      console.error(`koe reasons: --seed must be a whole number, got "${values.seed}"`);
      return 2;
    }
    if (thresholds?.some((t) => !Number.isFinite(t) || t < 0 || t > 1)) {
      console.error(`koe reasons: --thresholds must be numbers between 0 and 1, got "${values.thresholds}"`);
      return 2;
    }
    if (action !== 'list' && action !== 'eval') {
      console.error(`koe reasons: unknown action "${action}"\nusage: koe ${USAGE}`);
      return 2;
    }

    const config = loadConfig();
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
      if (labels.length < folds) {
        console.error(
          `koe reasons eval: ${labels.length} labels stored; at least ${folds} are needed for ${folds}-fold cross-validation`,
        );
        return 1;
      }
      const threshold = config.classifier.threshold ?? DEFAULT_THRESHOLD;
      const report = crossValidate(labels, {
        folds,
        seed,
        ...(thresholds ? { thresholds: [...thresholds, threshold] } : {}),
        classifier: { threshold },
      });
      if (values.format === 'json') {
        console.log(JSON.stringify({ threshold, ...report }, null, 2));
        return 0;
      }
      const atThreshold = report.tradeoff.find((t) => t.threshold === threshold);
      console.log(formatCrossValidation(report));
      if (atThreshold) {
        console.log(
          `\nat the configured threshold ${threshold}: ${(atThreshold.coverage * 100).toFixed(1)}% of inquiries get a reason automatically, ` +
            `${(atThreshold.accuracy * 100).toFixed(1)}% of those correctly; the rest stay unclassified for a person.`,
        );
      }
      console.log(
        "(recall = held-out accuracy on that reason's inquiries; labels are those set by people or given at intake)",
      );
      return 0;
    } finally {
      storage.close();
    }
  },
};
