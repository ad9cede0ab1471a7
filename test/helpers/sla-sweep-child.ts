// Child process for the SLA kill -9 test: opens the shared SQLite file as koe would, runs one sweep
// at the given instant (recording the crossings and queueing their deliveries, committed), prints
// what it recorded as one JSON line, and then waits without delivering anything until it is killed.
import { slaKoe } from './sla-koe.ts';

const [dbPath, nowMs] = process.argv.slice(2);
const koe = slaKoe(dbPath!, () => Number(nowMs));
const recorded = koe.sweeper.sweep();
process.stdout.write(`${JSON.stringify({ recorded })}\n`);
// Keeps the process (and its open database) alive, with its worker never started, until SIGKILL.
setInterval(() => {}, 60_000);
