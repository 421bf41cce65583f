import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where this package's own files live (the bridge script, the solc shim). */
export const PACKAGE_LIB_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The project-local tool folders that setup creates, relative to the project root. */
export interface ToolPaths {
  root: string;
  python: string;
  /** HOME for the Python process, holding the offline solc that ezkl looks for. */
  ezklHome: string;
}

export function toolPaths(root: string): ToolPaths {
  return {
    root,
    python: process.env.ZK_PYTHON ?? path.join(root, ".venv", "bin", "python"),
    ezklHome: path.join(root, ".tools", "ezkl-home"),
  };
}
