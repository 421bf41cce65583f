import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { loadEngine } from "../engine.js";
import { EZKL_VERSION } from "../ezkl/installed-version.js";
import { PYTHON_FIX, runEzkl } from "../ezkl/python.js";
import { EZKL_SOLC_VERSION, ensureEzklSolcHome } from "../ezkl/solc-home.js";
import { installedPackageVersion } from "../installed-versions.js";
import { toolPaths } from "../project-paths.js";
import { ENGINE_VERSION as ENGINE_PIN, MIN_NODE } from "../versions.js";

const exec = promisify(execFile);

/** The Node release Hardhat 3 needs, and the engine release the artifacts pair with. */
export { MIN_NODE, ENGINE_PIN };

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What to run when it is not ok. */
  fix?: string;
}

function atLeast(version: string, min: string): boolean {
  const a = version.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

/** Checks everything a project needs to build and prove: Node, Python + ezkl, the solc shim, the engine. */
export async function runDoctor(root: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const node = process.versions.node;
  checks.push({
    name: "node",
    ok: atLeast(node, MIN_NODE),
    detail: `Node ${node}`,
    fix: `use Node ${MIN_NODE} or later (e.g. \`npm install --save-dev node@22\` and run \`npx hardhat\` through it)`,
  });

  const tools = toolPaths(root);
  const hasPython = await access(tools.python, constants.X_OK).then(
    () => true,
    () => false,
  );
  checks.push({ name: "python", ok: hasPython, detail: hasPython ? tools.python : `${tools.python} not found`, fix: PYTHON_FIX });
  if (hasPython) {
    try {
      const v = await runEzkl<{ ezkl: string; python: string }>(root, "versions");
      checks.push({
        name: "ezkl",
        ok: v.ezkl === EZKL_VERSION,
        detail: `ezkl ${v.ezkl} on Python ${v.python} (needs ${EZKL_VERSION})`,
        fix: PYTHON_FIX,
      });
    } catch (e) {
      checks.push({ name: "ezkl", ok: false, detail: message(e), fix: PYTHON_FIX });
    }
  } else {
    checks.push({ name: "ezkl", ok: false, detail: "not checked (no Python)", fix: PYTHON_FIX });
  }

  const solcFix = `reinstall the plugin's dependencies (\`npm install\`) so the npm package solc ${EZKL_SOLC_VERSION} is present`;
  try {
    const home = await ensureEzklSolcHome(tools.ezklHome);
    const exe = path.join(home, ".svm", EZKL_SOLC_VERSION, `solc-${EZKL_SOLC_VERSION}`);
    const { stdout } = await exec(exe, ["--version"]);
    const version = /Version: (\S+)/.exec(stdout)?.[1] ?? stdout.trim();
    checks.push({ name: "solc shim", ok: version.startsWith(`${EZKL_SOLC_VERSION}+`), detail: `${exe} -> ${version}`, fix: solcFix });
  } catch (e) {
    checks.push({ name: "solc shim", ok: false, detail: message(e), fix: solcFix });
  }

  const engineFix = `install the pinned engine: \`npm install @ezkljs/engine@${ENGINE_PIN}\``;
  try {
    const version = installedPackageVersion("@ezkljs/engine");
    loadEngine();
    checks.push({ name: "engine", ok: version === ENGINE_PIN, detail: `@ezkljs/engine ${version} (needs ${ENGINE_PIN})`, fix: engineFix });
  } catch (e) {
    checks.push({ name: "engine", ok: false, detail: message(e), fix: engineFix });
  }
  return checks;
}

export function formatDoctor(checks: DoctorCheck[]): string {
  return checks
    .map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(9)} ${c.detail}${c.ok || c.fix === undefined ? "" : `\n     fix: ${c.fix}`}`)
    .join("\n");
}
