// Copies the plugin's non-TypeScript files (Python bridge, solc shim, engine worker)
// beside the compiled JavaScript, at the same relative paths the code resolves them by.
import { cp, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ASSET = /\.(py|cjs|mjs)$/;

async function copyAssets(dir) {
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) await copyAssets(rel);
    else if (ASSET.test(entry.name)) await cp(path.join(root, rel), path.join(root, "dist", rel));
  }
}

await copyAssets("tasks");
