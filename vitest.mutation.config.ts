import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The suite Stryker runs for each mutant: the tests that run koe's code in this process and start in
// well under a second. Left out: tests whose koe runs in child processes or threads (a mutant planted
// here is not active there, so they cannot kill it), the reliability suite, and the platform tests
// that start koe against the fake Slack and Discord servers (seconds per file, per mutant: a full run
// would take most of a day on two cores). Those still run in `npm test`.
// Not mergeConfig: it would append these lists to the base config's instead of replacing them.
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/core/**/*.test.ts',
      'test/storage/**/*.test.ts',
      'test/outbox/worker.test.ts',
      'test/outbox/backoff.test.ts',
      'test/intake/**/*.test.ts',
      'test/lib/**/*.test.ts',
      'test/platforms/*.test.ts',
      'test/platforms/*/render*.test.ts',
      'test/platforms/slack/{command-parser,text,verify-signature,http-receiver,ticket-retry}.test.ts',
      'test/core/reasons/reason-guesser.test.ts',
    ],
    exclude: [
      'test/core/inquiries/concurrent-claims.test.ts',
      'test/storage/wal-checkpointer.test.ts',
      '**/node_modules/**',
    ],
  },
});
