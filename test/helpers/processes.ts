import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import hre from "hardhat";

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout/stderr. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** Runs `npx hardhat <args>` from the workspace root, as a user would. */
export function spawnHardhat(args: string[], env: NodeJS.ProcessEnv = {}): Spawned {
  const bin = path.join(hre.config.paths.root, "node_modules", ".bin", "hardhat");
  const child = spawn(bin, args, { cwd: hre.config.paths.root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = text.match(pattern);
          if (m !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${text.slice(-2000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() =>
          setTimeout(() => {
            if (listeners.has(check)) {
              listeners.delete(check);
              clearTimeout(timer);
              reject(new Error(`process exited before ${pattern}:\n${text.slice(-2000)}`));
            }
          }, 100),
        );
      }),
  };
}

/** Stops a child that is still running and waits for it. */
export async function stop(p: Spawned | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (p === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}
