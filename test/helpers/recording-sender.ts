import type { Platform } from '../../src/config/schema.ts';
import type { DeliveryKind, PostedMessage, Sender } from '../../src/platforms/types.ts';

export interface SentCall {
  kind: DeliveryKind;
  deliveryId: number;
  channel: string;
  inquiryId: number | null;
  at: number;
  status?: string;
  /** For an update or a thread message: the mirror message it was sent to. */
  mirrorRef?: string;
  /** For a digest: the digest it was given. */
  digest?: unknown;
}

/** A call held open by `hold()`: it has reached the chat, and lands only when released. */
export interface HeldCall {
  /** Resolves with the call once the worker has made it. */
  reached: Promise<SentCall>;
  /** Lets the call go on (to land, or to fail as scripted). */
  release: () => void;
}

/**
 * An in-memory chat for outbox tests: remembers every message it "posted" with the delivery id it
 * carried (as Slack metadata or a Discord nonce would), fails on demand through `script`, and holds
 * a call open on demand through `hold`. `now` stamps each call's `at` (the worker's clock, in tests
 * that drive time themselves).
 */
export function recordingSender(options: { platform?: Platform; paceMs?: number; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const calls: SentCall[] = [];
  const lookups: number[] = [];
  const lookupRequests: Array<Parameters<Sender['findDelivered']>[0]> = [];
  const posted = new Map<number, PostedMessage>();
  let failures: Array<(call: SentCall) => Error | 'land-then-fail' | null> = [];
  const holds: Array<{ reached: (call: SentCall) => void; released: Promise<void> }> = [];
  const releases: Array<() => void> = [];
  let seq = 0;

  async function attempt(call: SentCall, land: () => PostedMessage | null): Promise<PostedMessage | null> {
    const held = holds.shift();
    if (held) {
      held.reached(call);
      await held.released;
    }
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
      return (await attempt(
        { kind: 'post', deliveryId, channel, inquiryId: view.inquiry.id, at: now(), status: view.inquiry?.status },
        land(deliveryId),
      ))!;
    },
    async updateInquiry({ deliveryId, channel, mirror, view }) {
      await attempt(
        {
          kind: 'update',
          deliveryId,
          channel,
          inquiryId: view.inquiry.id,
          at: now(),
          status: view.inquiry.status,
          mirrorRef: mirror.messageRef,
        },
        () => null,
      );
    },
    async postToThread({ deliveryId, channel, mirror, view }) {
      return (await attempt(
        { kind: 'thread', deliveryId, channel, inquiryId: view.inquiry.id, at: now(), mirrorRef: mirror.messageRef },
        land(deliveryId),
      ))!;
    },
    async postDigest({ deliveryId, channel, digest }) {
      return (await attempt(
        { kind: 'digest', deliveryId, channel, inquiryId: null, at: now(), digest },
        land(deliveryId),
      ))!;
    },
    async findDelivered(request) {
      const { deliveryId } = request;
      lookups.push(deliveryId);
      lookupRequests.push(request);
      return posted.get(deliveryId) ?? null;
    },
  };
  return {
    sender,
    calls,
    /** The delivery ids the worker looked up (after an attempt that may have landed), in order. */
    lookups,
    /** Each look-up as the worker asked it. */
    lookupRequests,
    /** What each delivery id became, as the chat knows it. */
    posted,
    /** Each entry decides the fate of one upcoming call, in order. */
    script: (...next: Array<(call: SentCall) => Error | 'land-then-fail' | null>) => {
      failures = [...failures, ...next];
    },
    /** Holds the next call open (before its scripted fate) until `release()`. */
    hold: (): HeldCall => {
      let reached!: (call: SentCall) => void;
      let release!: () => void;
      const reachedPromise = new Promise<SentCall>((r) => (reached = r));
      holds.push({ reached, released: new Promise<void>((r) => (release = r)) });
      releases.push(release);
      return { reached: reachedPromise, release };
    },
    /** Releases every held call (a test that failed while holding one must still be able to stop its worker). */
    releaseAll: () => {
      for (const release of releases.splice(0)) release();
    },
    reset: () => {
      failures = [];
    },
  };
}
