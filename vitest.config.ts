import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests open real ports, SQLite files and child processes; two cores here.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
