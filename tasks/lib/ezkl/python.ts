import { spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "../errors.js";
import { PACKAGE_LIB_DIR, toolPaths } from "../project-paths.js";
import { ensureEzklSolcHome } from "./solc-home.js";

const BRIDGE = path.join(PACKAGE_LIB_DIR, "ezkl", "bridge.py");
const FIX = "run `npm run setup` to create .venv with the pinned ezkl (or set ZK_PYTHON to a Python that has ezkl 21.0.3)";

export type BridgeOp =
  | "gen_settings" | "calibrate" | "compile_circuit" | "gen_srs" | "setup" | "gen_witness"
  | "prove" | "verify" | "create_verifier" | "create_vka" | "create_attester" | "onnx_io" | "onnx_run" | "versions"
  | "decomp_bits" | "size_candidates" | "calibration_accuracy";

/**
 * Runs one native ezkl operation in the project's Python environment and returns
 * its result. Throws ZkError with ezkl's own one-line message on failure.
 */
export async function runEzkl<T = unknown>(
  root: string, op: BridgeOp, args: object = {}, options: { env?: NodeJS.ProcessEnv } = {},
): Promise<T> {
  const tools = toolPaths(root);
  try {
    await access(tools.python, constants.X_OK);
  } catch {
    throw new ZkError(`Python toolchain missing (${tools.python} not found): ${FIX}`);
  }
  const home = await ensureEzklSolcHome(tools.ezklHome);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, HOME: home };
  delete env.XDG_DATA_HOME;

  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(tools.python, [BRIDGE, op, JSON.stringify(args)], { cwd: root, env });
      let out = "";
      let err = "";
      child.stdout.on("data", (c) => (out += c));
      child.stderr.on("data", (c) => (err += c));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
    },
  );
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
