import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, inboundEventKeys, mirroredInquiry, startSlackKoe, SUPPORT, type SlackKoe } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

describe('Slack in Socket Mode (SLACK_APP_TOKEN set)', () => {
  let k: SlackKoe | undefined;
  afterEach(async () => {
    await k?.stop();
    k = undefined;
  });

  it('connects through apps.connections.open, handles events and commands over the socket, dedupes retries', async () => {
    k = await startSlackKoe({ env: { SLACK_APP_TOKEN: 'xapp-fake-app-token', SLACK_SIGNING_SECRET: '' } });
    const fake = k.fake;
    const open = fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(fake.appToken);
    await waitFor(() => fake.socketCount() === 1, 5_000, 'socket');
    // No HTTP endpoint in Socket Mode.
    expect((await fetch(`${k.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);

    const { id: createdId, ts: mirrorTs } = await mirroredInquiry(k);

    const event = {
      token: 'legacy',
      team_id: fake.teamId,
      api_app_id: 'AKOE',
      type: 'event_callback',
      event_id: 'EvSOCKET1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'reaction_added',
        user: ALICE,
        reaction: 'raising_hand',
        item: { type: 'message', channel: SUPPORT, ts: mirrorTs },
        item_user: 'UKOEBOT',
        event_ts: '1.1',
      },
      authorizations: [{ team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false }],
    };
    const ack = await fake.sendEnvelope({ type: 'events_api', payload: event });
    expect(ack.envelope_id).toBeTruthy();
    // Acknowledged only after it was recorded.
    expect(inboundEventKeys(k)).toEqual(['slack:EvSOCKET1']);
    const again = await fake.sendEnvelope({
      type: 'events_api',
      payload: event,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    expect(again.envelope_id).toBeTruthy();
    const detail = await (await k.api(`/api/v1/inquiries/${createdId}`)).json();
    expect(detail.assignee.id).toBe(`slack:${ALICE}`);
    expect(detail.reactions).toHaveLength(1);

    const answer = await fake.sendEnvelope({
      type: 'slash_commands',
      payload: {
        command: '/koe',
        text: `claim ${createdId}`,
        user_id: BOB,
        user_name: 'bob',
        team_id: fake.teamId,
        channel_id: SUPPORT,
        response_url: fake.responseUrl(),
        trigger_id: '1.2.3',
        api_app_id: 'AKOE',
      },
    });
    expect(answer.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer.payload)).toContain(`is already claimed by <@${ALICE}>`);
  });

  it('fails to start with a clear error when the app token is refused', async () => {
    await expect(startSlackKoe({ env: { SLACK_APP_TOKEN: 'xapp-wrong', SLACK_SIGNING_SECRET: '' } })).rejects.toThrow(
      /invalid_auth/,
    );
  });
});
