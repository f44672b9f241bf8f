#!/usr/bin/env node
'use strict';
// Cognate's command line. This entry is CommonJS for one reason: libuv sizes
// its threadpool (where argon2id hashing and RS256 signing run) when the pool
// is first used, and an ES module entry has used it (to read its own source)
// before its first line runs. Node's default of 4 threads leaves cores idle on
// bigger hosts and, on small ones, makes the hashing and signing threads
// fight the event loop for the cores (bench/server.ts measured 10 % more
// sign-ins and refreshes a second on 2 cores with 2 threads). So, unless
// UV_THREADPOOL_SIZE is set: one thread per core, divided among the workers
// of `--workers N` (each process has its own pool).
const { availableParallelism } = require('node:os');

if (!process.env.UV_THREADPOOL_SIZE) {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  const given = at < 0 ? process.env.COGNATE_WORKERS : args[at].includes('=') ? args[at].slice('--workers='.length) : args[at + 1];
  const asked = Number(given);
  const workers = Number.isInteger(asked) && asked > 1 ? asked : 1;
  process.env.UV_THREADPOOL_SIZE = String(Math.max(1, Math.floor(availableParallelism() / workers)));
}
import('./cognate.js');
