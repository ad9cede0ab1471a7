import type { Platform } from '../../src/config/schema.ts';
import type { DeliveryKind, PostedMessage, Sender } from '../../src/platforms/types.ts';

export interface SentCall {
  kind: DeliveryKind;
  deliveryId: number;
  channel: string;
  inquiryId: number | null;
  at: number;
  status?: string;
}

/**
 * An in-memory chat for outbox tests: remembers every message it "posted" with the delivery id it
 * carried (as Slack metadata or a Discord nonce would), and fails on demand through `script`.
 */
export function recordingSender(options: { platform?: Platform; paceMs?: number } = {}) {
  const calls: SentCall[] = [];
  const posted = new Map<number, PostedMessage>();
  let failures: Array<(call: SentCall) => Error | 'land-then-fail' | null> = [];
  let seq = 0;

  function attempt(call: SentCall, land: () => PostedMessage | null): PostedMessage | null {
    const script = failures.shift();
    const error = script?.(call) ?? null;
    if (error === 'land-then-fail') {
      // The platform got it, but the answer was lost (timeout, crash).
      calls.push(call);
      land();
      throw new Error('socket hang up');
    }
    if (error) throw error;
    calls.push(call);
    return land();
  }

  const land = (deliveryId: number) => () => {
    seq += 1;
    const msg = { messageRef: `m${seq}`, threadRef: `m${seq}` };
    posted.set(deliveryId, msg);
    return msg;
  };

  const sender: Sender = {
    platform: options.platform ?? 'console',
    paceMs: () => options.paceMs ?? 0,
    async postInquiry({ deliveryId, channel, view }) {
      return attempt(
        { kind: 'post', deliveryId, channel, inquiryId: view.inquiry.id, at: Date.now(), status: view.inquiry?.status },
        land(deliveryId),
      )!;
    },
    async updateInquiry({ deliveryId, channel, view }) {
      attempt(
        {
          kind: 'update',
          deliveryId,
          channel,
          inquiryId: view.inquiry.id,
          at: Date.now(),
          status: view.inquiry.status,
        },
        () => null,
      );
    },
    async postToThread({ deliveryId, channel, view }) {
      return attempt(
        { kind: 'thread', deliveryId, channel, inquiryId: view.inquiry.id, at: Date.now() },
        land(deliveryId),
      )!;
    },
    async postDigest({ deliveryId, channel }) {
      return attempt({ kind: 'digest', deliveryId, channel, inquiryId: null, at: Date.now() }, land(deliveryId))!;
    },
    async findDelivered({ deliveryId }) {
      return posted.get(deliveryId) ?? null;
    },
  };
  return {
    sender,
    calls,
    /** Each entry decides the fate of one upcoming call, in order. */
    script: (...next: Array<(call: SentCall) => Error | 'land-then-fail' | null>) => {
      failures = [...failures, ...next];
    },
    reset: () => {
      failures = [];
    },
  };
}
