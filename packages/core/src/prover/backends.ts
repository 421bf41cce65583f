import { accessSync, constants } from "node:fs";
import { availableParallelism } from "node:os";
import { ZkError } from "../errors.js";
import { toolPaths } from "../project-paths.js";

/**
 * Where proofs are computed:
 * - "wasm": the engine's single-threaded nodejs build, one proof per worker thread;
 * - "wasm-threads": the engine's web build with a wasm-bindgen-rayon pool per worker;
 * - "native": a long-lived Python ezkl process per worker (all cores per proof).
 */
export const PROVER_BACKENDS = ["wasm", "wasm-threads", "native"] as const;
export type ProverBackend = (typeof PROVER_BACKENDS)[number];

export interface ProverPoolOptions {
  /** Default "wasm". */
  backend?: ProverBackend;
  /** Workers (proofs at once). Default: one per core for "wasm", else cores / threads (at least 1). */
  workers?: number;
  /** "wasm-threads": rayon threads per worker. Default: all cores. */
  threads?: number;
  /** Replace a worker after this many proofs (frees memory the WASM heap never returns). Default: never. */
  recycleAfter?: number;
  /** Project root, to find the Python toolchain ("native"). Default: the current directory. */
  root?: string;
  /** "wasm-threads": how long initThreadPool may take before the worker is failed. Default 60 s. */
  initTimeoutMs?: number;
}

export interface ResolvedPoolOptions {
  backend: ProverBackend;
  workers: number;
  threads: number;
  recycleAfter: number | undefined;
  root: string;
  initTimeoutMs: number;
}

export function resolvePoolOptions(options: ProverPoolOptions = {}): ResolvedPoolOptions {
  const cores = availableParallelism();
  const backend = options.backend ?? "wasm";
  if (!PROVER_BACKENDS.includes(backend))
    throw new ZkError(`unknown prover backend "${backend}"; use one of ${PROVER_BACKENDS.join(", ")}`);
  const threads = Math.max(1, options.threads ?? cores);
  const perWorker = backend === "wasm" ? 1 : backend === "native" ? cores : threads;
  return {
    backend,
    workers: Math.max(1, options.workers ?? Math.floor(cores / perWorker)),
    threads,
    recycleAfter: options.recycleAfter !== undefined && options.recycleAfter > 0 ? options.recycleAfter : undefined,
    root: options.root ?? process.cwd(),
    initTimeoutMs: options.initTimeoutMs ?? 60_000,
  };
}

/** Throws a one-line ZkError naming the backend to use instead if `backend` cannot run here. */
export function assertBackendAvailable(options: ResolvedPoolOptions): void {
  if (options.backend === "wasm-threads") {
    let shared = typeof SharedArrayBuffer === "function";
    try {
      // (WebAssembly is not in this project's TypeScript lib.)
      const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: unknown } } }).WebAssembly;
      shared &&= new wasm.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      shared = false;
    }
    if (!shared)
      throw new ZkError(
        'backend "wasm-threads" needs SharedArrayBuffer and WebAssembly threads, which this runtime lacks; use --backend wasm (or native)',
      );
  }
  if (options.backend === "native") {
    const python = toolPaths(options.root).python;
    try {
      accessSync(python, constants.X_OK);
    } catch {
      throw new ZkError(
        `backend "native" needs Python with ezkl (${python} not found); run \`npx hardhat zk install-python\`, or use --backend wasm-threads`,
      );
    }
  }
}

/** Pool options for a `--backend` task option ("" keeps the model's config). */
export function backendOverride(flag: string | undefined): ProverPoolOptions {
  if (flag === undefined) return {};
  if (!(PROVER_BACKENDS as readonly string[]).includes(flag))
    throw new ZkError(`--backend ${flag}: use one of ${PROVER_BACKENDS.join(", ")}`);
  return { backend: flag as ProverBackend };
}
