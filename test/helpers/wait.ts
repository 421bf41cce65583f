import { setTimeout as sleep } from "node:timers/promises";
import { JobStore } from "@hardhat-zkml/server/job-store.js";
import { jobsFile } from "@hardhat-zkml/server/options.js";

export interface WaitOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Between two probes (default 50 ms). */
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

/**
 * Waits until `probe` returns a truthy value and returns it; fails with `what` once the
 * deadline passes. For a state the code under test reaches on its own (a job running, a
 * callback recorded), instead of a fixed sleep that is too long on a fast machine and
 * too short on a loaded one.
 */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, opts: WaitOptions = {}): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(opts.intervalMs ?? 50);
  }
}

/**
 * A prover's `onStage` listener and a promise that settles when `stage` begins (the
 * witness, then the proof: ModelProver.prove reports both).
 */
export function stageReached(stage: string): { onStage: (s: string) => void; reached: Promise<void> } {
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  return { onStage: (s) => s === stage && resolve(), reached };
}

/** The callback state an embedded service recorded for a job ("pending", "delivered", "failed"), read from its SQLite store. */
export function callbackStateOf(dataDir: string, jobId: string): string | undefined {
  const store = new JobStore(jobsFile(dataDir));
  try {
    return store.callbackState(jobId).state;
  } finally {
    store.close();
  }
}
