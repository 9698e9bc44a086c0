import type { FastifyBaseLogger } from 'fastify';

/** A background job beside the HTTP server: `stop()` ends the timer and waits for a run in progress. */
export interface PeriodicJob {
  stop(): Promise<void>;
}

/**
 * Runs `run` now and then every `intervalMs`, one run at a time (a slow run delays the next, never overlaps it). A run
 * answers how many things it did, handed to `onDone`; a failed run is logged as `failure` (the error's message only, no
 * data) and the next one tries again. The timer does not keep the process alive.
 */
export function startPeriodicJob(options: {
  run: () => Promise<number>;
  onDone: (count: number) => void;
  log: FastifyBaseLogger;
  failure: string;
  intervalMs: number;
}): PeriodicJob {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(options.run)
      .then(options.onDone)
      .catch((error: unknown) => options.log.warn({ err: { message: String(error) } }, options.failure));
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
