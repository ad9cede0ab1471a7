#!/usr/bin/env node
// koe runs its TypeScript sources directly through tsx, so `npm install && npm start`
// needs no build step. tsx is a runtime dependency for that reason.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));
