import { loadConfig, type DigestConfig } from '../config/load-config.ts';
import { makeDigest } from '../core/digests/make-digest.ts';
import { periodStartDueAt } from '../core/digests/periods.ts';
import { isLocalDate } from '../lib/zoned-time.ts';
import { renderDigestText } from '../platforms/console/render-digest.ts';
import { openStorage } from '../storage/index.ts';
import { type CommandSpec, parseOptions, UsageError } from './args.ts';
import type { Command } from './index.ts';

const spec: CommandSpec = {
  path: 'digest',
  summary: 'print the digest of a day or week (default: yesterday), or post it',
  args: '[--date YYYY-MM-DD] [--period day|week] [--format text|json] [--post [--name N]]',
  options: {
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'a day in the period (default: the last whole one)' },
    period: { type: 'string', choices: ['day', 'week'], description: 'a day or a week (default day)' },
    format: { type: 'string', choices: ['text', 'json'], description: 'how to print it (default text)' },
    post: { type: 'boolean', description: 'queue it for the configured digest channel instead of printing' },
    name: { type: 'string', value: 'NAME', description: 'with --post: which configured digest' },
  },
  examples: ['npx koe digest --period week --date 2026-11-16', 'npx koe digest --post'],
};

export const command: Command = {
  spec,
  async run(args) {
    const { values: raw } = parseOptions(spec, args);
    const values = raw as { date?: string; period?: 'day' | 'week'; format?: string; post?: boolean; name?: string };
    const asked = values.period;
    const period = asked ?? 'day';
    if (values.date !== undefined && !isLocalDate(values.date)) {
      throw new UsageError(spec.path, `--date must be a calendar date as YYYY-MM-DD; got "${values.date}".`);
    }

    const config = loadConfig();
    let target: DigestConfig | undefined;
    if (values.post) {
      target = values.name
        ? config.digests.find((d) => d.name === values.name)
        : config.digests.find((d) => d.period === period);
      // With --name and no --period, the digest's own period applies.
      if (!target) {
        const known = config.digests.map((d) => `${d.name} (${d.period})`).join(', ') || 'none';
        console.error(
          `koe digest --post: no ${values.name ? `digest named "${values.name}"` : `${period} digest`} in the config (configured: ${known})`,
        );
        return 2;
      }
      if (asked !== undefined && target.period !== asked) {
        console.error(`koe digest --post: digest "${target.name}" is a ${target.period} digest, not ${period}`);
        return 2;
      }
    }
    const kind = target?.period ?? period;
    const nowMs = Date.now();
    const storage = openStorage(config.databasePath);
    try {
      const digest = makeDigest(storage.digests, {
        name: target?.name ?? 'adhoc',
        kind,
        date: values.date ?? periodStartDueAt(kind, nowMs, config.timezone),
        timezone: config.timezone,
        locale: config.locale,
        reasons: config.reasons,
        sla: config.sla,
        nowMs,
      });
      if (target) {
        const claim = storage.claimDigestRun(target, digest, nowMs);
        if (!claim.posted) {
          console.error(
            claim.deliveryId === null
              ? `koe digest: "${target.name}" for the ${kind} starting ${digest.period.start} was skipped because the digest was added after it was due; nothing queued`
              : `koe digest: "${target.name}" for the ${kind} starting ${digest.period.start} was already posted (delivery ${claim.deliveryId}); nothing queued`,
          );
          return 1;
        }
        console.log(
          `queued "${target.name}" for the ${kind} starting ${digest.period.start} as delivery ${claim.deliveryId} to ${target.platform}:${target.channel}; a running koe posts it within a second`,
        );
        return 0;
      }
      const settings = { locale: config.locale, timezone: config.timezone, reasons: config.reasons };
      console.log(values.format === 'json' ? JSON.stringify(digest, null, 2) : renderDigestText(digest, settings));
      return 0;
    } finally {
      storage.close();
    }
  },
};
