import { configFiles } from '../helpers/config-files.ts';
import { describe, expect, it } from 'vitest';
import { holidayCoverageNotice } from '../../src/config/check-sla.ts';
import { defaultSlaSettings } from '../../src/config/sla-schema.ts';

const { load, problems } = configFiles();

describe('sla: in koe.config.yaml', () => {
  it('defaults to Mon–Fri 09:00–18:00 in the timezone, Japanese holidays, 2h and 2d, warned at 75 %', () => {
    const { sla } = load(null);
    const nine = [[540, 1080]];
    expect(sla.calendar).toEqual({
      timezone: 'Asia/Tokyo',
      hours: [[], nine, nine, nine, nine, nine, []],
      holidays: 'jp',
      closures: [],
      workdays: [],
    });
    expect(sla).toMatchObject({
      firstResponse: { unit: 'h', amount: 2 },
      resolution: { unit: 'd', amount: 2 },
      warnAt: 0.75,
    });
    expect(sla.byReason).toEqual({});
    expect(sla).toEqual(defaultSlaSettings('Asia/Tokyo'));
  });

  it("reads the issue's example block", () => {
    const { sla } = load(
      `timezone: America/New_York
sla:
  businessHours:
    mon: ["09:00-12:00", "13:00-18:00"]
    sat: ["10:00-14:00"]
  holidays: none
  closures: ["2026-12-29..2027-01-04", "2027-08-13"]
  workdays: ["2027-01-09"]
  firstResponse: 30m
  resolution: 3d
  warnAt: 0.5
  alertChannel: { platform: slack, channel: C0ALERTS }
  byReason:
    bug: { firstResponse: 1h, resolution: 3d }
destinations: [{ name: c, platform: console }]
`.replace('platform: slack', 'platform: discord'),
      { DISCORD_TOKEN: 'token' },
    );
    expect(sla.calendar.timezone).toBe('America/New_York');
    expect(sla.calendar.hours[1]).toEqual([
      [540, 720],
      [780, 1080],
    ]);
    expect(sla.calendar.hours[6]).toEqual([[600, 840]]);
    expect(sla.calendar.hours[2]).toEqual([]); // days left out are closed
    expect(sla.calendar.closures).toEqual([
      { from: '2026-12-29', to: '2027-01-04' },
      { from: '2027-08-13', to: '2027-08-13' },
    ]);
    expect(sla.byReason.bug).toEqual({ firstResponse: { unit: 'h', amount: 1 }, resolution: { unit: 'd', amount: 3 } });
    expect(sla.alertChannel).toEqual({ platform: 'discord', channel: 'C0ALERTS' });
  });

  it('refuses the old wall-clock keys with a sentence naming the new ones', () => {
    const found = problems('sla:\n  firstResponseMinutes: 120\n  resolutionHours: 72\n');
    expect(found).toEqual([
      expect.stringMatching(/^sla\.firstResponseMinutes: replaced by sla\.firstResponse, a target in business time/),
      expect.stringMatching(/^sla\.resolutionHours: replaced by sla\.resolution, a target in business time/),
    ]);
  });

  it('names the path of every malformed range, overlap, closure, workday and target, one sentence each', () => {
    const found = problems(`sla:
  businessHours:
    mon: ["9:00-12:00", "13:00-18:00"]
    tue: ["09:00-13:00", "12:00-18:00"]
    wed: ["18:00-09:00"]
    funday: ["09:00-10:00"]
  closures: ["2026-02-30", "2027-01-04..2026-12-29", "2026-12-29 to 2027-01-04"]
  workdays: ["2027/01/09"]
  firstResponse: 2 hours
  resolution: 0d
  warnAt: 1.5
  byReason:
    bugs: { firstResponse: 1h }
`);
    const paths = found.map((p) => p.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'sla.businessHours.mon[0]',
        'sla.businessHours.tue[1]',
        'sla.businessHours.wed[0]',
        'sla.businessHours',
        'sla.closures[0]',
        'sla.closures[1]',
        'sla.closures[2]',
        'sla.workdays[0]',
        'sla.firstResponse',
        'sla.resolution',
        'sla.warnAt',
      ]),
    );
    expect(found.find((p) => p.startsWith('sla.businessHours.tue[1]'))).toMatch(/"12:00-18:00" overlaps "09:00-13:00"/);
    for (const p of found) expect(p.split('\n')).toHaveLength(1);
  });

  it('checks that byReason names known reasons, and that some day has hours', () => {
    expect(problems('sla:\n  byReason:\n    bugs: { firstResponse: 1h }\n')).toEqual([
      expect.stringMatching(
        /^sla\.byReason\.bugs: expected a reason id in your reasons list \(.*"bug".*\), got "bugs"$/,
      ),
    ]);
    expect(problems('sla:\n  businessHours: {}\n')).toEqual([
      'sla.businessHours: no day has any hours; list at least one, e.g. mon: ["09:00-18:00"]',
    ]);
  });

  it('refuses an alert channel written as a name, saying how to copy its id', () => {
    const found = problems('sla:\n  alertChannel: { platform: slack, channel: "#support-alerts" }\n');
    expect(found).toContainEqual(
      expect.stringMatching(
        /^sla\.alertChannel\.channel: "#support-alerts" is a channel name or link, not its id; copy the channel id in Slack/,
      ),
    );
    const discord = problems('sla:\n  alertChannel: { platform: discord, channel: alerts }\n');
    expect(discord).toContainEqual(expect.stringMatching(/^sla\.alertChannel\.channel: "alerts" is .* Developer Mode/));
    expect(
      problems('sla:\n  alertChannel: { platform: discord, channel: "123456789012345678" }\n').filter((p) =>
        p.startsWith('sla.'),
      ),
    ).toEqual([]);
  });

  it('asks for the Slack token when the alert channel is on Slack', () => {
    const found = problems('sla:\n  alertChannel: { platform: slack, channel: C0ALERTS }\n');
    expect(found.some((p) => p.startsWith('SLACK_BOT_TOKEN'))).toBe(true);
  });
});

describe('years the Japanese holiday data does not cover', () => {
  it('is a warning at start, naming the years, not a silent wrong answer', () => {
    const sla = defaultSlaSettings('Asia/Tokyo');
    expect(holidayCoverageNotice(sla, Date.parse('2026-06-01T00:00:00Z'))).toBeNull();
    expect(holidayCoverageNotice(sla, Date.parse('2050-06-01T00:00:00Z'))).toMatch(
      /^warning: sla\.holidays: .*not 2051/,
    );
    expect(
      holidayCoverageNotice(
        { ...sla, calendar: { ...sla.calendar, holidays: 'none' } },
        Date.parse('2060-01-01T00:00:00Z'),
      ),
    ).toBeNull();
  });
});
