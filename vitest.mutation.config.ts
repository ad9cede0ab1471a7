import { defineConfig } from 'vitest/config';
import { mutationGroup } from './scripts/mutation-groups.mjs';
import base from './vitest.config.ts';

// The tests Stryker runs for each mutant of one group (see scripts/mutation-groups.mjs). Not
// mergeConfig: it would append these lists to the base config's instead of replacing them.
export default defineConfig({
  test: {
    ...base.test,
    include: mutationGroup().tests,
    exclude: ['**/node_modules/**', ...(mutationGroup().exclude ?? [])],
    // One module graph per runner instead of one per test file: the import of koe's modules cost more
    // than most mutants' tests. The tests make their own temp databases and clocks, so sharing is safe.
    isolate: false,
  },
});
