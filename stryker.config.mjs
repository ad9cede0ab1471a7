// Mutation testing (`npm run test:mutation`): Stryker plants small bugs in the modules below, one at
// a time, and runs the tests that cover each one; a mutant that no test notices is a bug the suite
// would let through. Not part of .ci/run: a full run takes far longer than CI's budget on two cores.
// The run is incremental: `.stryker/incremental.json` (committed) remembers each mutant's result, so
// the next run re-tests only mutants in changed code or covered by changed tests.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/core/**/*.ts',
    'src/outbox/**/*.ts',
    'src/storage/**/*.ts',
    'src/intake/**/*.ts',
    'src/platforms/slack/receiver.ts',
    'src/platforms/slack/render.ts',
    'src/platforms/slack/render-digest.ts',
    'src/platforms/slack/text.ts',
    'src/platforms/discord/render.ts',
    'src/platforms/discord/render-digest.ts',
    'src/platforms/run-command.ts',
    'src/platforms/console/render.ts',
    'src/platforms/console/render-digest.ts',
  ],
  // Strings are words and log lines: the renderers' tests assert the words that matter, and a
  // mutant per string literal would double the run for little. Everything else is mutated.
  mutator: { excludedMutations: ['StringLiteral'] },
  ignoreStatic: true,
  incremental: true,
  incrementalFile: '.stryker/incremental.json',
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 85, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
