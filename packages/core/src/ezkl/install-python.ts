import { execFile } from "node:child_process";
import { access, constants, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ZkError } from "../errors.js";
import { sha256 } from "../hash.js";
import { PACKAGE_ROOT } from "../project-paths.js";
import { EZKL_VERSION } from "./installed-version.js";

const exec = promisify(execFile);

/** The pinned Python toolchain shipped with the package (ezkl, onnx, onnxruntime, numpy). */
export const REQUIREMENTS = path.join(PACKAGE_ROOT, "requirements.txt");

export interface InstallPythonOptions {
  /** The venv folder to create (or update). */
  venv: string;
  /** The interpreter that creates it (python3 by default). */
  basePython: string;
  /** More requirement files to install with the pinned ones (the workspace's test-only packages). */
  extraRequirements?: string[];
  log: (line: string) => void;
}

/** Where a venv records the hash of the requirement files it was last installed from. */
export const REQUIREMENTS_STAMP = ".requirements.sha256";

function firstLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  const text = (err.stderr || err.message || String(e)).trim().split("\n");
  return text[text.length - 1] ?? "";
}

/**
 * Creates a venv with the pinned requirements (from PyPI) and checks that it imports
 * the ezkl release the engine pairs with. Returns the venv's interpreter.
 */
export async function installPython(opts: InstallPythonOptions): Promise<string> {
  const python = path.join(opts.venv, "bin", "python");
  try {
    await exec(opts.basePython, ["--version"]);
  } catch {
    throw new ZkError(
      `${opts.basePython} not found; install Python 3.9-3.13 with venv (e.g. \`apt-get install python3 python3-venv\`) or pass --python /path/to/python3`,
    );
  }
  const exists = await access(python, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!exists) {
    opts.log(`creating ${opts.venv} with ${opts.basePython}...`);
    try {
      await exec(opts.basePython, ["-m", "venv", opts.venv]);
    } catch (e) {
      throw new ZkError(
        `could not create a venv at ${opts.venv} (${firstLine(e)}); install the venv module (e.g. \`apt-get install python3-venv\`)`,
      );
    }
  }
  const files = [REQUIREMENTS, ...(opts.extraRequirements ?? [])];
  // pip runs only when the requirement files changed since the last install into this venv.
  const stamp = path.join(opts.venv, REQUIREMENTS_STAMP);
  const want = sha256(Buffer.concat(await Promise.all(files.map((f) => readFile(f)))));
  const installed = await readFile(stamp, "utf8").catch(() => undefined);
  if (installed?.trim() !== want) {
    opts.log(
      `installing ${files.map((f) => path.relative(process.cwd(), f) || f).join(" and ")} into ${opts.venv} (ezkl ${EZKL_VERSION})...`,
    );
    try {
      await exec(python, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...files.flatMap((f) => ["-r", f])], {
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      throw new ZkError(
        `pip could not install the pinned requirements (${firstLine(e)}); check that PyPI is reachable and rerun \`npx hardhat zk install-python\``,
      );
    }
    await writeFile(stamp, want + "\n");
  }
  const { stdout } = await exec(python, ["-c", "import ezkl; print(ezkl.__version__)"]);
  if (stdout.trim() !== EZKL_VERSION) {
    throw new ZkError(
      `${python} has ezkl ${stdout.trim()} after install, expected ${EZKL_VERSION}; delete ${opts.venv} and rerun \`npx hardhat zk install-python\``,
    );
  }
  return python;
}
