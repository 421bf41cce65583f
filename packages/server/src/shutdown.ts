import { once } from "node:events";

/**
 * Waits for SIGINT or SIGTERM, then stops gracefully with `close` (running jobs finish).
 * A second signal ends the process at once, e.g. when Redis is gone and the queue cannot close.
 */
export async function closeOnSignal(close: () => Promise<void>, log: (line: string) => void = console.log): Promise<void> {
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  log("stopping: waiting for running jobs (signal again to stop at once)...");
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  await close();
}
