// Mutation testing runs in groups: each group's modules are mutated and only the fast, in-process
// tests that exercise them are run per mutant (tests whose koe runs in a child process or thread
// cannot see a mutant, so they are left out). One group over everything at once meant that every mutant in
// the core ran the HTTP and Slack integration tests too (they start koe), and the estimate was a day.
/** @type {Record<string, { mutate: string[]; tests: string[]; exclude?: string[] }>} */
export const MUTATION_GROUPS = {
  core: {
    mutate: ['src/core/inquiries/**/*.ts', 'src/core/actions.ts', 'src/core/errors.ts'],
    tests: [
      'test/core/inquiries/{lifecycle,atomic-fan-out,routing,create-inquiry-input,create-inquiry,join-redelivery,replies,received-at}.test.ts',
      'test/core/actions.test.ts',
      'test/platforms/run-command.test.ts',
      // Replies, business-time warnings and acknowledgements came to the core after the group was
      // first measured; these in-process tests reach them (sla-warnings runs a worker in process).
      'test/core/sla/inquiry-sla.test.ts',
      'test/scheduler/sla-warnings.test.ts',
      'test/outbox/acknowledgements-and-alerts.test.ts',
      'test/intake/prepare-guess.test.ts',
    ],
  },
  reasons: {
    mutate: ['src/core/reasons/**/*.ts'],
    tests: ['test/core/reasons/**/*.test.ts'],
    // Not the tests that train with the default passes (tens of thousands of updates): instrumented,
    // one such training takes over 20 s, and classifier.test.ts and reason-guesser-trained.test.ts
    // train as they load, so every mutant they cover would pay for it. classifier-unit.test.ts and
    // the calibration, features and softmax unit tests check the same code on a few hundred updates.
    exclude: ['test/core/reasons/{classifier-banking77,dev-set-learned,classifier,reason-guesser-trained}.test.ts'],
  },
  digests: {
    mutate: ['src/core/digests/**/*.ts'],
    tests: ['test/core/digests/**/*.test.ts', 'test/storage/{digest-queries,digest-topics}.test.ts'],
  },
  storage: {
    mutate: ['src/storage/**/*.ts'],
    // Storage's own tests (the command-line tools' verbs, digest runs and the view loader included: the
    // tools, the scheduler and the outbox worker reach them only from child processes or slow tests),
    // and the core's, whose verbs are the Store's.
    tests: [
      'test/storage/**/*.test.ts',
      'test/core/inquiries/{lifecycle,atomic-fan-out,create-inquiry,replies,join-redelivery,received-at}.test.ts',
      'test/scheduler/digest-added.test.ts',
    ],
  },
  outbox: {
    mutate: ['src/outbox/**/*.ts'],
    // Every in-process outbox test; crash-restart.test.ts runs its worker in a child process.
    tests: [
      'test/outbox/{worker,backoff,channel-pacer,channel-unavailable,replies,reply-channels,acknowledgements-and-alerts,post-once-and-ack-pace}.test.ts',
      'test/storage/outbox-store.test.ts',
    ],
  },
  // The API (routes, server, connections); the contact form (its own surface, issue 16) is a group of its own.
  intake: {
    mutate: ['src/intake/**/*.ts', '!src/intake/http/contact/**'],
    // api-identities: the API's refusal of slack:/discord: identities is tested against a Slack koe.
    tests: ['test/intake/**/*.test.ts', 'test/platforms/slack/api-identities.test.ts'],
    // vi.mock('node:crypto') needs a module graph of its own, which isolate: false does not give.
    exclude: ['test/intake/bearer-constant-time.test.ts'],
  },
  contact: {
    mutate: ['src/intake/http/contact/**/*.ts'],
    // window-limiter.test.ts: clientKey, the per-address limit's key.
    tests: ['test/intake/contact-*.test.ts', 'test/lib/window-limiter.test.ts'],
  },
  receivers: {
    mutate: ['src/platforms/slack/receiver.ts', 'src/platforms/slack/verify-signature.ts'],
    tests: [
      'test/platforms/slack/http-receiver.test.ts',
      'test/platforms/slack/ticket-retry.test.ts',
      'test/platforms/slack/verify-signature.test.ts',
      'test/platforms/slack/receiver-unit.test.ts',
    ],
  },
  renderers: {
    mutate: [
      'src/platforms/slack/render.ts',
      'src/platforms/slack/render-answers.ts',
      'src/platforms/slack/render-digest.ts',
      'src/platforms/slack/render-reply.ts',
      'src/platforms/slack/text.ts',
      'src/platforms/discord/render.ts',
      'src/platforms/discord/render-digest.ts',
      'src/platforms/discord/render-reply.ts',
      // What /koe show, open and mine answer on Discord: draw() to the end (Slack's is render-answers.ts).
      'src/platforms/discord/commands/koe-command.ts:146-214',
      'src/platforms/console/render.ts',
      'src/platforms/console/render-digest.ts',
      'src/platforms/run-command.ts',
    ],
    tests: [
      'test/platforms/*/render*.test.ts',
      'test/platforms/*/reply-render.test.ts',
      'test/platforms/slack/{text,text-edges,hostile-fields}.test.ts',
      'test/platforms/console/{bidi,hostile-text}.test.ts',
      'test/platforms/discord/{koe-command,koe-answers}.test.ts',
      'test/platforms/{run-command,run-command-answers,digest-sla-words}.test.ts',
      // Not unicode-mirrors.test.ts: it starts koe on both platforms (~20 s a mutant); the render tests
      // check the same limits and escaping directly.
    ],
  },
};

/** The group named by KOE_MUTATION_GROUP (default: core). */
export function mutationGroup() {
  const name = process.env.KOE_MUTATION_GROUP ?? 'core';
  const group = MUTATION_GROUPS[name];
  if (!group) {
    throw new Error(
      `KOE_MUTATION_GROUP: "${name}" is not a group; use one of ${Object.keys(MUTATION_GROUPS).join(', ')}`,
    );
  }
  return { name, ...group };
}
