import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where this package's own files live (the bridge script, the solc shim). */
export const PACKAGE_LIB_DIR = path.dirname(fileURLToPath(import.meta.url));

const CORE_PACKAGE = "@hardhat-zkml/core";

/** This package's root (holds package.json and requirements.txt), from src/ or from dist/. */
export const PACKAGE_ROOT = findPackageRoot(PACKAGE_LIB_DIR, CORE_PACKAGE);

/** The nearest folder at or above `from` whose package.json is named `name`. */
export function findPackageRoot(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === name) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json named ${name} above ${from}`);
  }
}

/** The project-local tool folders that setup creates, relative to the project root. */
export interface ToolPaths {
  root: string;
  python: string;
  /** HOME for the Python process, holding the offline solc that ezkl looks for. */
  ezklHome: string;
}

/** `zk.python` of each loaded project (set when its config resolves). */
const configuredPython = new Map<string, string>();

export function useProjectPython(root: string, python: string): void {
  configuredPython.set(root, python);
}

export function toolPaths(root: string): ToolPaths {
  return {
    root,
    python: process.env.ZK_PYTHON ?? configuredPython.get(root) ?? path.join(root, ".venv", "bin", "python"),
    ezklHome: path.join(root, ".tools", "ezkl-home"),
  };
}
