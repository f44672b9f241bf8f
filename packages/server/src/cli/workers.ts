import cluster, { type Worker } from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { Config } from '../config/schema.ts';
import { CLEAR_MESSAGE, isClearMessage } from '../store/read-cache.ts';

// `cognate start --workers N`: N server processes on one host, through
// node:cluster. The primary serves nothing itself: it prepares the data
// directory and the database once (master key, migrations, master-key check,
// first operator key) so the workers never race for them, forks the workers,
// which all listen on the one port the primary holds (the kernel spreads
// connections between them), and restarts any worker that dies. Workers hold
// nothing the others need (docs/deployment.md), so one dying loses only the
// requests it was serving.

const RESTART_DELAY_MS = 500;
// A replacement that cannot start (its database away) is tried again, less often each time.
const MAX_RESTART_DELAY_MS = 10_000;

export async function runPrimary(config: Config, masterKey: string | undefined): Promise<number> {
  // Everything a first start does, done once before any worker exists; the app is closed unheard.
  const prepared = await buildApp(config, { masterKey });
  await prepared.app.close();

  let stopping = false;
  const listening = new Set<number>();
  let failed: number | null = null;
  // Once any worker has served, a replacement failing to start is a fault of
  // the moment (the database restarting), not of the configuration.
  let served = false;
  let restartDelay = RESTART_DELAY_MS;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const fork = (): Worker => {
    const worker = cluster.fork();
    process.stdout.write(`Worker ${worker.id} started (pid ${worker.process.pid})\n`);
    return worker;
  };
  // Pending restarts keep the primary alive (every worker may be down at once) and are cancelled by stop().
  const pending = new Set<NodeJS.Timeout>();
  const later = (ms: number) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!stopping) fork();
    }, ms);
    pending.add(timer);
  };
  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    served = true;
    restartDelay = RESTART_DELAY_MS;
  });
  // A worker that wrote a pool, client or signing key: the others empty their read caches (store/read-cache.ts).
  cluster.on('message', (from, message: unknown) => {
    if (!isClearMessage(message)) return;
    for (const w of Object.values(cluster.workers ?? {})) if (w && w.id !== from.id && w.isConnected()) w.send({ [CLEAR_MESSAGE]: true });
  });
  cluster.on('exit', (worker, code, signal) => {
    const hadStarted = listening.delete(worker.id);
    if (!stopping && !hadStarted && served) {
      process.stderr.write(`Worker ${worker.id} could not start (${signal ?? `exit code ${code}`}); trying again in ${restartDelay} ms\n`);
      later(restartDelay);
      restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
    } else if (!stopping && !hadStarted) {
      // A worker that never came up (bad configuration, database gone) would fail again: stop everything.
      process.stderr.write(`Worker ${worker.id} failed to start (${signal ?? `exit code ${code}`}); stopping\n`);
      failed = code || 1;
      stop();
    } else if (!stopping) {
      process.stderr.write(`Worker ${worker.id} (pid ${worker.process.pid}) died (${signal ?? `exit code ${code}`}); starting another\n`);
      later(RESTART_DELAY_MS);
    }
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolveDone();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) resolveDone();
    for (const w of workers) w.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  for (let i = 0; i < config.workers; i++) fork();
  await done;
  return failed ?? 0;
}

/**
 * In a worker: answers carry the worker's process id (`x-cognate-worker`,
 * for operators checking the spread of load; a process id is no secret), and
 * once the app has closed the worker leaves the cluster so its process can end.
 */
export function runAsWorker(app: FastifyInstance): void {
  const pid = String(process.pid);
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-cognate-worker', pid);
  });
  app.addHook('onClose', async () => {
    setImmediate(() => cluster.worker?.disconnect());
  });
}

/** Only the first worker prints the start banner, so it appears once (restarted workers have higher ids). */
export const printsBanner = (): boolean => !cluster.isWorker || cluster.worker?.id === 1;
export const isClusterPrimary = (config: Config): boolean => config.workers > 1 && cluster.isPrimary;
