import { mkdir, readFile, writeFile, chmod } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_LIB_DIR } from "../project-paths.js";

/** The solc release ezkl 21 compiles its generated contracts with. */
import { SOLC_VERSION } from "../versions.js";

export const EZKL_SOLC_VERSION = SOLC_VERSION;

/**
 * Prepares a HOME in which ezkl's compiler manager (svm) finds solc 0.8.20 as
 * already installed, so ezkl never tries to download it. The executable is a small
 * launcher for the pinned npm solc 0.8.20 (solc-shim.cjs), run by this same Node.
 */
export async function ensureEzklSolcHome(home: string): Promise<string> {
  const dir = path.join(home, ".svm", EZKL_SOLC_VERSION);
  const exe = path.join(dir, `solc-${EZKL_SOLC_VERSION}`);
  const shim = path.join(PACKAGE_LIB_DIR, "ezkl", "solc-shim.cjs");
  const script = `#!/bin/sh\nexec "${process.execPath}" "${shim}" "$@"\n`;
  const current = await readFile(exe, "utf8").catch(() => "");
  if (current !== script) {
    await mkdir(dir, { recursive: true });
    await writeFile(exe, script);
    await chmod(exe, 0o755);
  }
  return home;
}
