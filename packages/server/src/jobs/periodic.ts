import type { FastifyBaseLogger } from 'fastify';

export interface PeriodicJob<T> {
  /** Runs the job now (what the timer does), or joins the run already in progress. */
  runOnce(): Promise<T>;
  /** Stops the timer and waits for a run in progress, so the store can close after. */
  stop(): Promise<void>;
}

/**
 * A background job on a timer, as every clean-up job runs: runs never
 * overlap, a failed run is logged (never thrown) and the next tick tries
 * again, and the timer does not keep the process alive. `done` logs what a
 * run achieved; `failed` names the job in the warning.
 */
export function startPeriodicJob<T>(opts: {
  intervalMs: number;
  log: FastifyBaseLogger;
  run: () => Promise<T>;
  done: (result: T) => void;
  failed: string;
}): PeriodicJob<T> {
  let running: Promise<T> | null = null;
  let stopped = false;
  const runOnce = (): Promise<T> => {
    running ??= opts
      .run()
      .then((result) => {
        opts.done(result);
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((err: Error) => opts.log.warn({ err: err.message }, opts.failed));
  }, opts.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
