import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from './discord/harness.ts';
import { ALICE, CUSTOMER, CUSTOMERS, postInSource, startSlackKoe, SUPPORT, type SlackKoe } from './slack/harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

// One koe, both platforms: a Discord community's questions mirrored into a Slack team channel, a
// Slack Connect customer's into a Discord team channel, and a claim on one side shown on the other.

let w: World;
let k: SlackKoe;

beforeAll(async () => {
  w = await buildWorld();
  k = await startSlackKoe({
    yaml: `
locale: en
timezone: Asia/Tokyo
destinations:
  - { name: slack-support, platform: slack, channel: ${SUPPORT} }
  - { name: discord-team, platform: discord, channel: "${w.inquiries.id}" }
sources:
  - { platform: slack, channel: ${CUSTOMERS} }
  - { platform: discord, channel: "${w.help.id}" }
discord:
  staffRoleId: "${w.staffRole}"
  paceMs: 0
classifier:
  enabled: false
`,
    env: { DISCORD_TOKEN: w.fake.token, DISCORD_APPLICATION_ID: w.fake.applicationId, DISCORD_API_URL: w.fake.apiUrl },
  });
}, 30_000);

afterAll(async () => {
  await k?.stop();
  await w?.fake.close();
});

const slackPostsFor = (inquiryId: number) =>
  k.fake
    .okCallsTo('chat.postMessage')
    .filter((c) => c.params.metadata?.event_payload?.inquiry_id === inquiryId && c.params.channel === SUPPORT);
const discordMirrorsFor = (inquiryId: number) =>
  w.fake.messagesIn(w.inquiries.id).filter((m) => JSON.stringify(m.embeds).includes(`#${inquiryId}`));

describe('Slack and Discord at once', () => {
  it('mirrors a Discord community question into the Slack team channel and the Discord team channel, once each', async () => {
    w.fake.say(w.help.id, w.customer.user, 'The mobile app crashes when I open settings', { roles: w.customer.roles });
    let inquiry: { id: number } | undefined;
    await waitFor(
      async () => {
        const page = await (await k.api('/api/v1/inquiries?limit=50')).json();
        inquiry = page.items.find((i: { source: string }) => i.source === `discord:${w.help.id}`);
        return inquiry !== undefined;
      },
      10_000,
      'Discord inquiry stored',
    );
    await k.drain();
    expect(slackPostsFor(inquiry!.id)).toHaveLength(1);
    expect(discordMirrorsFor(inquiry!.id)).toHaveLength(1);
  });

  it('mirrors a Slack Connect customer’s message into the Discord team channel, and a Slack claim edits the Discord mirror', async () => {
    await postInSource(k, CUSTOMER, 'We were charged twice this month');
    await k.drain();
    const page = await (await k.api('/api/v1/inquiries?limit=50')).json();
    const inquiry = page.items.find((i: { source: string }) => i.source === `slack:${CUSTOMERS}`);
    expect(discordMirrorsFor(inquiry.id)).toHaveLength(1);
    expect(slackPostsFor(inquiry.id)).toHaveLength(1);

    const answer = await k.command(`claim ${inquiry.id}`, ALICE);
    expect(answer.status).toBe(200);
    await k.drain();
    const [mirror] = discordMirrorsFor(inquiry.id);
    expect(mirror!.edits.length).toBeGreaterThan(0);
    expect(JSON.stringify(mirror!.edits.at(-1))).toMatch(/Claimed|claimed/);
    expect(
      w.fake.messagesIn(w.inquiries.id).filter((m) => JSON.stringify(m.embeds).includes(`#${inquiry.id}`)),
    ).toHaveLength(1);
  });
});
