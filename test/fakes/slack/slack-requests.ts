import { createHmac } from 'node:crypto';

/**
 * Requests as Slack sends them to an app's Request URL: Events API callbacks (JSON), slash commands
 * (form-encoded) and interactivity (form-encoded `payload=`), each signed with the signing secret.
 * The signature is computed here independently of koe's verify-signature.ts.
 */

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Override the computed signature (to forge one). */
  signature?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface SlackRequest {
  body: string;
  contentType: string;
}

/** POSTs a request to koe's `/slack/events` the way Slack does. */
export function sendSigned(url: string, request: SlackRequest, options: SignOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ??
    `v0=${createHmac('sha256', options.secret).update(`v0:${timestamp}:${request.body}`).digest('hex')}`;
  const headers: Record<string, string> = {
    'content-type': request.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  return fetch(url, { method: 'POST', headers, body: request.body });
}

let eventSeq = 0;

/** An Events API `event_callback` envelope around `event`. */
export function eventCallback(
  event: Record<string, unknown>,
  options: { teamId: string; eventId?: string; botUserId?: string },
) {
  const eventId = options.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${++eventSeq}`;
  return {
    eventId,
    request: {
      contentType: 'application/json',
      body: JSON.stringify({
        token: 'legacy-verification-token',
        team_id: options.teamId,
        context_team_id: options.teamId,
        api_app_id: 'AKOE',
        event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: options.teamId,
            user_id: options.botUserId ?? 'UKOEBOT',
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        event_context: `4-${eventId}`,
      }),
    } satisfies SlackRequest,
  };
}

/** A slash command, form-encoded as Slack sends it. */
export function slashCommand(options: {
  text: string;
  userId: string;
  userName?: string;
  teamId: string;
  channelId?: string;
  responseUrl: string;
  command?: string;
}): SlackRequest {
  const params = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: options.teamId,
    team_domain: 'koe-test',
    channel_id: options.channelId ?? 'CTEAM',
    channel_name: 'team',
    user_id: options.userId,
    user_name: options.userName ?? options.userId.toLowerCase(),
    command: options.command ?? '/koe',
    text: options.text,
    api_app_id: 'AKOE',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: `${Date.now()}.1234.abcdef`,
  });
  return { contentType: 'application/x-www-form-urlencoded', body: params.toString() };
}

/** An interactivity payload (block_actions, message_action …), form-encoded in `payload`. */
export function interaction(payload: Record<string, unknown>): SlackRequest {
  return {
    contentType: 'application/x-www-form-urlencoded',
    body: `payload=${encodeURIComponent(JSON.stringify(payload))}`,
  };
}

let triggerSeq = 0;

/** A fresh trigger_id in Slack's format (`<digits>.<digits>.<hex>`); each is good for one views.open. */
export function triggerId(): string {
  return `${Date.now()}.${++triggerSeq}.abcdef`;
}

/** A block_actions payload for a click on a mirror message. */
export function blockAction(options: {
  teamId: string;
  userId: string;
  userName?: string;
  userTeamId?: string;
  channel: string;
  messageTs: string;
  /** The thread the clicked message is in, when it is a reply in a thread. */
  threadTs?: string;
  action: Record<string, unknown>;
  responseUrl: string;
}) {
  const thread = options.threadTs ? { thread_ts: options.threadTs } : {};
  return interaction({
    type: 'block_actions',
    user: {
      id: options.userId,
      username: options.userName ?? options.userId.toLowerCase(),
      name: options.userName ?? options.userId.toLowerCase(),
      team_id: options.userTeamId ?? options.teamId,
    },
    api_app_id: 'AKOE',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: options.messageTs,
      channel_id: options.channel,
      is_ephemeral: false,
      ...thread,
    },
    trigger_id: triggerId(),
    team: { id: options.teamId, domain: 'koe-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channel, name: 'team' },
    message: { type: 'message', ts: options.messageTs, user: 'UKOEBOT', bot_id: 'BKOE', text: 'mirror', ...thread },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [{ block_id: 'koe-block', action_ts: `${Math.floor(Date.now() / 1000)}.000200`, ...options.action }],
  });
}

/**
 * A message shortcut (`message_action`) used on `message` in `channel`, as documented
 * (docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload).
 */
export function messageShortcut(options: {
  teamId: string;
  callbackId: string;
  userId: string;
  userTeamId?: string;
  channel: string;
  message: Record<string, unknown> & { ts: string };
  responseUrl: string;
}) {
  return interaction({
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Math.floor(Date.now() / 1000)}.000300`,
    team: { id: options.teamId, domain: 'koe-test' },
    user: { id: options.userId, name: options.userId.toLowerCase(), team_id: options.userTeamId ?? options.teamId },
    channel: { id: options.channel, name: 'team' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: triggerId(),
    response_url: options.responseUrl,
    message_ts: options.message.ts,
    message: { type: 'message', ...options.message },
  });
}

/**
 * A view_submission: `view` as views.open answered it, with what the person entered in
 * `state.values` (`{ [block_id]: { [action_id]: { type, value } } }`), as documented
 * (docs.slack.dev/reference/interaction-payloads/view-interactions-payload).
 */
export function viewSubmission(options: {
  teamId: string;
  userId: string;
  userTeamId?: string;
  view: Record<string, any>;
  values?: Record<string, Record<string, { type: string; value: string | null }>>;
}) {
  return interaction({
    type: 'view_submission',
    token: 'legacy-verification-token',
    api_app_id: 'AKOE',
    trigger_id: triggerId(),
    team: { id: options.teamId, domain: 'koe-test' },
    user: {
      id: options.userId,
      username: options.userId.toLowerCase(),
      name: options.userId.toLowerCase(),
      team_id: options.userTeamId ?? options.teamId,
    },
    enterprise: null,
    is_enterprise_install: false,
    view: { ...options.view, state: { values: options.values ?? {} } },
    response_urls: [],
  });
}
