import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./ports.js";

export { freePort };

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** Debian's redis-server on 127.0.0.1 and a free port, without persistence; stopped by the test. */
export async function startRedis(): Promise<LocalRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {}); // refused until the server is up
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      if (i > 100 || child.exitCode !== null)
        throw new Error(`redis-server did not start on ${url} (is it installed? scripts/setup.sh installs it)`);
      await sleep(100);
    }
  }
  probe.disconnect();
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
}
