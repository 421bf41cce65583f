import { spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "../errors.js";
import { PACKAGE_LIB_DIR, toolPaths } from "../project-paths.js";
import { ensureEzklSolcHome } from "./solc-home.js";

const BRIDGE = path.join(PACKAGE_LIB_DIR, "ezkl", "bridge.py");
/** What to run when the Python side is missing or wrong; works in any project that installed the plugin. */
export const PYTHON_FIX =
  "run `npx hardhat zk install-python` to create .venv with the pinned ezkl (or set zk.python in hardhat.config.ts, or ZK_PYTHON, to a Python that has ezkl 21.0.3); `npx hardhat zk doctor` checks the setup";
const FIX = PYTHON_FIX;

export type BridgeOp =
  | "gen_settings"
  | "calibrate"
  | "compile_circuit"
  | "gen_srs"
  | "setup"
  | "gen_witness"
  | "prove"
  | "verify"
  | "create_verifier"
  | "create_vka"
  | "create_attester"
  | "onnx_io"
  | "onnx_run"
  | "bind_address"
  | "versions"
  | "decomp_bits"
  | "size_candidates"
  | "calibration_accuracy";

export interface EzklProcess {
  python: string;
  /** bridge.py: `<op> '<json>'` for one step, or `serve` for a long-lived process. */
  bridge: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The interpreter, bridge script and environment for a native ezkl process; throws
 * ZkError (with `fix` appended, default: how to create .venv) if Python is missing.
 */
export async function ezklProcess(root: string, extraEnv?: NodeJS.ProcessEnv, fix: string = FIX): Promise<EzklProcess> {
  const tools = toolPaths(root);
  try {
    await access(tools.python, constants.X_OK);
  } catch {
    throw new ZkError(`Python toolchain missing (${tools.python} not found): ${fix}`);
  }
  const home = await ensureEzklSolcHome(tools.ezklHome);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, HOME: home };
  delete env.XDG_DATA_HOME;
  return { python: tools.python, bridge: BRIDGE, env };
}

/**
 * Runs one native ezkl operation in the project's Python environment and returns
 * its result. Throws ZkError with ezkl's own one-line message on failure.
 */
export async function runEzkl<T = unknown>(
  root: string,
  op: BridgeOp,
  args: object = {},
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<T> {
  const { python, bridge, env } = await ezklProcess(root, options.env);
  const tools = { python };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(python, [bridge, op, JSON.stringify(args)], { cwd: root, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const last = stdout.trim().split("\n").pop() ?? "";
  let reply: { ok: boolean; result?: T; error?: string } | undefined;
  try {
    reply = JSON.parse(last);
  } catch {
    reply = undefined;
  }
  if (reply?.ok === true) return reply.result as T;
  if (reply?.ok === false) throw new ZkError(`ezkl ${op} failed: ${reply.error}`);
  if (/No module named 'ezkl'|ModuleNotFoundError/.test(stderr)) {
    throw new ZkError(`Python at ${tools.python} has no ezkl module: ${FIX}`);
  }
  const tail = stderr.trim().split("\n").slice(-1)[0] ?? "";
  throw new ZkError(`ezkl ${op} crashed (exit ${code}): ${tail || "no output"}; ${FIX}`);
}
