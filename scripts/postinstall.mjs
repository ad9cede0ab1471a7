// Applies patches/ (a fix to Stryker's vitest runner, which only mutation testing uses). patch-package
// is a dev dependency: an install without dev dependencies (`npm ci --omit=dev` for production) has
// neither it nor the package it patches, so there is nothing to do and the install must not fail.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('patch-package/package.json');
} catch {
  process.exit(0);
}
const result = spawnSync(process.execPath, [require.resolve('patch-package/index.js'), '--error-on-fail'], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
