import type { Client, Collection, Message } from 'discord.js';
import type { UnreadChannel } from '../../read-back-retry.ts';
import { addMessage, createInquiry } from '../../../core/inquiries/index.ts';
import type { PlatformDeps } from '../../types.ts';
import { actorOf, roleIdsOf } from '../commands/handle-interaction.ts';
import type { StaffPolicy } from '../staff.ts';
import { messageBody } from './message-text.ts';

export interface IntakeEnv {
  deps: PlatformDeps;
  staff: StaffPolicy;
  client: Client;
}

/**
 * Discord channels as intake. In a source text channel a customer's new message becomes an inquiry
 * (`discord:<channel>`, externalId = message id; later messages join it within the source's join
 * window), a reply to a known message follows it (inbound from customers, outbound from staff). In
 * a source forum a new post (thread) becomes an inquiry (externalId = thread id, which is also its
 * starter message's id) and every later message in the thread follows it; threads under a text
 * channel's message work the same way. Each message id is handled once (`inbound_events`).
 */
export function createIntakeHandler(env: IntakeEnv): (message: Message) => Promise<void> {
  const { deps, staff, client } = env;
  const { log, ctx } = deps;
  const sources = new Map(deps.config.sources.filter((s) => s.platform === 'discord').map((s) => [s.channel, s]));

  async function parentOf(message: Message): Promise<string | null> {
    let channel = message.channel;
    if (channel.partial)
      channel = await client.channels.fetch(message.channelId).then((c) => (c?.isTextBased() ? c : channel));
    return channel.isThread() ? channel.parentId : null;
  }

  return async function onMessage(message: Message): Promise<void> {
    if (sources.size === 0 || !message.inGuild()) return;
    if (message.author.bot || message.webhookId || message.system || message.author.id === client.user?.id) return;
    const direct = sources.get(message.channelId);
    const parentId = direct ? null : await parentOf(message).catch(() => null);
    const source = direct ?? (parentId ? sources.get(parentId) : undefined);
    if (!source) return;

    const key = `discord:${message.id}`;
    if (!deps.ledger.claim(key)) {
      log.debug({ messageId: message.id }, 'discord: message already taken in');
      return;
    }
    let failed = false;
    try {
      const isStaff = staff.isStaff(message.guildId, roleIdsOf(message.member));
      const author = actorOf(message.author, message.member);
      const sourceName = `discord:${source.channel}`;
      const body = messageBody(message, deps.render.locale);
      const follow = (inquiryId: number) =>
        addMessage(ctx, {
          inquiryId,
          direction: isStaff ? 'outbound' : 'inbound',
          body,
          author,
          externalId: message.id,
          at: message.createdTimestamp,
        });
      const customer = { id: author.id, name: author.name ?? undefined };

      if (direct) {
        const ref = message.reference?.messageId;
        const inquiryId = ref ? deps.read.inquiryForSourceMessage(sourceName, ref) : null;
        if (inquiryId !== null) {
          follow(inquiryId);
          return;
        }
        if (isStaff) return; // staff talking among themselves, or a reply to nothing koe knows
        const outcome = createInquiry(
          ctx,
          {
            source: sourceName,
            externalId: message.id,
            customer,
            body,
            url: message.url,
            receivedAt: message.createdAt.toISOString(),
          },
          { joinWindowMs: source.joinWindowMinutes * 60_000 },
        );
        if (outcome.ok)
          log.info(
            { inquiryId: outcome.inquiry.id, joined: outcome.joined, messageId: message.id },
            'discord: message taken in',
          );
        return;
      }

      // A message in a thread of a source channel: a forum post, or a thread under a message.
      const threadId = message.channelId;
      const inquiryId = deps.read.inquiryForSourceMessage(sourceName, threadId);
      if (inquiryId !== null) {
        if (message.id !== threadId) follow(inquiryId);
        return;
      }
      if (isStaff) return;
      const subject = message.channel.isThread() ? message.channel.name : undefined;
      const outcome = createInquiry(ctx, {
        source: sourceName,
        externalId: threadId,
        customer,
        subject: subject || undefined,
        body,
        url: message.url,
        receivedAt: message.createdAt.toISOString(),
      });
      if (outcome.ok && message.id !== threadId && outcome.created) {
        log.info(
          { inquiryId: outcome.inquiry.id, threadId },
          'discord: thread taken in from a later message (its first was missed)',
        );
      } else if (outcome.ok) {
        log.info({ inquiryId: outcome.inquiry.id, threadId }, 'discord: forum post taken in');
      }
    } catch (error) {
      failed = true;
      deps.ledger.release(key);
      log.error({ err: error, messageId: message.id }, 'discord: could not take in a message');
    } finally {
      // Every message of a text source that was handled moves the cursor a restart reads back from.
      if (direct && !failed) deps.cursors.note('discord', direct.channel, message.id, ctx.now());
    }
  };
}

const bySnowflake = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * Reads what customers wrote in text source channels while koe was away, from each channel's cursor
 * on, through the intake handler (which takes each message in once). The gateway replays missed
 * events only to a session it can resume; after a longer stop those messages would otherwise never
 * become inquiries. A channel koe has never seen a message in is not read: first start imports no
 * history. Forum posts and threads are not read back. Returns how many messages were read, and the
 * channels that could not be read, to try again (read-back-retry.ts).
 */
export async function readBackSources(
  env: IntakeEnv,
  onMessage: (message: Message) => Promise<void>,
): Promise<{ read: number; unread: UnreadChannel[] }> {
  let read = 0;
  const unread: UnreadChannel[] = [];
  for (const source of env.deps.config.sources.filter((s) => s.platform === 'discord')) {
    const after = env.deps.cursors.get('discord', source.channel);
    if (!after) continue;
    const result = await readBackChannel(env, onMessage, { channel: source.channel, after });
    read += result.read;
    if (!result.ok) unread.push({ channel: source.channel, after });
  }
  return { read, unread };
}

/** Reads one text source channel back from `after`; `ok` is false when it could not be read. */
export async function readBackChannel(
  env: IntakeEnv,
  onMessage: (message: Message) => Promise<void>,
  { channel: channelId, after: from }: UnreadChannel,
  maxPages = 10,
): Promise<{ read: number; ok: boolean }> {
  const { deps, client } = env;
  let read = 0;
  let after = from;
  const channel = await client.channels.fetch(channelId).catch(() => null);
  // A forum (or a channel that is no text channel) has nothing to read back here.
  if (channel && (!channel.isTextBased() || channel.isThread() || channel.isDMBased())) return { read, ok: true };
  for (let page = 0; page < maxPages; page++) {
    let batch: Collection<string, Message>;
    try {
      if (!channel) throw new Error(`channel ${channelId} is not visible to the bot`);
      batch = await channel.messages.fetch({ after, limit: 100, cache: false });
    } catch (error) {
      deps.log.warn(
        { err: error, channel: channelId },
        'discord: could not read back a source channel; will try again',
      );
      return { read, ok: false };
    }
    const oldestFirst = [...batch.values()].sort((a, b) => bySnowflake(a.id, b.id));
    for (const message of oldestFirst) {
      // REST messages carry no member; staff is told by roles, so look the author up first.
      if (message.inGuild() && !message.author.bot)
        await message.guild.members.fetch(message.author.id).catch(() => null);
      await onMessage(message);
      read += 1;
    }
    if (batch.size < 100) break;
    after = oldestFirst[oldestFirst.length - 1]!.id;
    if (page === maxPages - 1) {
      deps.log.warn(
        { channel: channelId, pages: maxPages },
        'discord: more messages were posted while koe was away than it reads back; the oldest were read',
      );
    }
  }
  return { read, ok: true };
}
