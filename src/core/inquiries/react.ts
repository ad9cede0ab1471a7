import type { ReactionAction } from '../surfaces.ts';
import type { CoreContext } from '../context.ts';
import { fail, type Failure, type Outcome } from '../errors.ts';
import { claim } from './claim.ts';
import { resolve } from './resolve.ts';
import { setReason } from './set-reason.ts';
import type { Actor } from './types.ts';

export interface ReactionInput {
  platform: string;
  channel: string;
  /** The mirror message the reaction is on. */
  messageRef: string;
  actor: Actor;
  /** Slack short name (`raising_hand`) or Discord unicode (`🙋`) / custom emoji name. */
  emoji: string;
  removed?: boolean;
}

export interface ReactionResult {
  inquiryId: number;
  /** False when this was a redelivery of a reaction already recorded. */
  recorded: boolean;
  action: ReactionAction | null;
  /** The refusal of the mapped action, if it was refused (e.g. already claimed by someone else). */
  actionFailure: Failure | null;
}

/**
 * Records a reaction on a mirror, then performs the action its emoji maps to (claim, resolve,
 * set a reason). The record and the action are separate transactions: a refused action (already
 * claimed) must not erase the fact that someone reacted.
 */
export function react(ctx: CoreContext, input: ReactionInput): Outcome<ReactionResult> {
  const recordedFor = ctx.store.transaction((tx) => {
    const mirror = tx.findMirrorByMessage(input.platform, input.channel, input.messageRef);
    if (!mirror) return null;
    const nowMs = ctx.now();
    const recorded = input.removed
      ? tx.removeReaction(mirror.inquiryId, input.actor.id, input.emoji, nowMs)
      : tx.addReaction({
          inquiryId: mirror.inquiryId,
          mirrorId: mirror.id,
          platform: input.platform,
          userId: input.actor.id,
          userName: input.actor.name ?? null,
          emoji: input.emoji,
          createdAt: nowMs,
        });
    if (recorded) {
      tx.appendEvent(
        mirror.inquiryId,
        input.removed ? 'unreacted' : 'reacted',
        input.actor,
        { emoji: input.emoji },
        nowMs,
      );
    }
    return { inquiryId: mirror.inquiryId, recorded };
  });
  if (!recordedFor) return fail('NOT_A_MIRROR');

  const action = input.removed || !recordedFor.recorded ? null : (ctx.reactions[input.emoji] ?? null);
  let actionFailure: Failure | null = null;
  const inquiryId = recordedFor.inquiryId;
  if (action === 'claim') {
    const r = claim(ctx, { inquiryId, actor: input.actor });
    if (!r.ok && r.code !== 'ALREADY_YOURS') actionFailure = r;
  } else if (action === 'resolve') {
    const r = resolve(ctx, { inquiryId, actor: input.actor });
    if (!r.ok && r.code !== 'ALREADY_RESOLVED') actionFailure = r;
  } else if (action?.startsWith('reason:')) {
    const r = setReason(ctx, {
      inquiryId,
      actor: input.actor,
      reasonId: action.slice('reason:'.length),
      source: 'human',
    });
    if (!r.ok) actionFailure = r;
  }
  return { ok: true, inquiryId, recorded: recordedFor.recorded, action, actionFailure };
}
