// Mutation testing (`npm run test:mutation`): Stryker plants small bugs in koe's modules, one at a
// time, and runs the tests that cover each one; a mutant that no test notices is a bug the suite
// would let through. Not part of .ci/run: it takes far longer than CI's budget on two cores.
// scripts/mutation.mjs runs it once per group (scripts/mutation-groups.mjs); this file configures one
// group, named by KOE_MUTATION_GROUP. Each group's run is incremental: `.stryker/<group>.json`
// (committed) remembers every mutant's result, so the next run re-tests only mutants in changed code
// or covered by changed tests.
import { mutationGroup } from './scripts/mutation-groups.mjs';

const group = mutationGroup();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: group.mutate,
  // Strings are words and log lines: the renderers' tests assert the words that matter, and a
  // mutant per string literal would double the run for little. Everything else is mutated.
  mutator: { excludedMutations: ['StringLiteral'] },
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `.stryker/${group.name}.json`,
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 85, break: null },
  reporters: ['progress', 'json', 'html'],
  htmlReporter: { fileName: `reports/mutation/${group.name}.html` },
  jsonReporter: { fileName: `reports/mutation/${group.name}.json` },
  // One sandbox folder per group, and every group's left out of every sandbox, so groups can run side by side.
  tempDirName: `.stryker-tmp/${group.name}`,
  ignorePatterns: ['/.stryker-tmp', '/reports', '/coverage'],
  cleanTempDir: 'always',
};
