import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The suite Stryker runs for each mutant: everything but the tests whose koe runs in child processes
// (a mutant planted in the test process is not active there, so they cannot kill it) and the
// reliability suite (bursts and crash loops that take minutes and repeat what the unit tests cover).
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/reliability/**',
        'test/cli/**',
        // It reads the sources as text, and Stryker's instrumented copies are not the sources.
        'test/architecture.test.ts',
        'test/outbox/crash-restart.test.ts',
        '**/node_modules/**',
      ],
    },
  }),
);
