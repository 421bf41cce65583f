import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Runs `npx hardhat run <script>` with BENCH_CELL set to `cell`, so each measurement
 * has a fresh process (its own peak RSS); the child prints `BENCH_RESULT <json>`.
 */
export function runInChild<T>(root: string, script: string, cell: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["hardhat", "run", script], {
      cwd: root,
      env: { ...process.env, BENCH_CELL: JSON.stringify(cell), BENCH_OUT: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (code !== 0 || line === undefined)
        reject(new Error(`${script} ${JSON.stringify(cell)} failed (exit ${code}): ${out.slice(-500)}`));
      else resolve(JSON.parse(line.slice("BENCH_RESULT ".length)) as T);
    });
  });
}

/** A process's resident set from /proc (`VmRSS` now, or `VmHWM` its peak), in MB; 0 if it is gone. */
export function procRssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
