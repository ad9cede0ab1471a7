import { parseArgs } from 'node:util';
import { loadConfig, type DigestConfig } from '../config/load-config.ts';
import { makeDigest } from '../core/digests/make-digest.ts';
import { periodStartDueAt } from '../core/digests/periods.ts';
import { isLocalDate } from '../lib/zoned-time.ts';
import { renderDigestText } from '../platforms/console/render-digest.ts';
import { openStorage } from '../storage/index.ts';
import type { Command } from './index.ts';

const USAGE = 'digest [--date YYYY-MM-DD] [--period day|week] [--format text|json] [--post [--name N]]';

export const command: Command = {
  name: 'digest',
  summary: 'print the digest of a day or week (default: yesterday), or post it',
  usage: USAGE,
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          date: { type: 'string' },
          period: { type: 'string' },
          format: { type: 'string', default: 'text' },
          post: { type: 'boolean', default: false },
          name: { type: 'string' },
        },
      }));
    } catch (error) {
      console.error(`koe digest: ${(error as Error).message}\nusage: koe ${USAGE}`);
      return 2;
    }
    const asked = values.period;
    if (asked !== undefined && asked !== 'day' && asked !== 'week') {
      console.error(`koe digest: --period must be day or week, got "${asked}"`);
      return 2;
    }
    const period = asked ?? 'day';
    if (values.format !== 'text' && values.format !== 'json') {
      console.error(`koe digest: --format must be text or json, got "${values.format}"`);
      return 2;
    }
    if (values.date !== undefined && !isLocalDate(values.date)) {
      console.error(`koe digest: --date must be a calendar date as YYYY-MM-DD, got "${values.date}"`);
      return 2;
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
            `koe digest: "${target.name}" for the ${kind} starting ${digest.period.start} was already posted${claim.deliveryId ? ` (delivery ${claim.deliveryId})` : ''}; nothing queued`,
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
