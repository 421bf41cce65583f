// Copies a package's non-TypeScript files (Python bridge, solc shim, engine worker) beside
// its compiled JavaScript, at the same relative paths the code resolves them by.
// Usage: node scripts/copy-build-assets.mjs <source dir> <output dir> (relative to the repository root)
import { cp, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ASSET = /\.(py|cjs|mjs)$/;
const [from, to] = process.argv.slice(2);
if (from === undefined || to === undefined) {
  console.error("usage: node scripts/copy-build-assets.mjs <source dir> <output dir>");
  process.exit(2);
}

async function copyAssets(rel) {
  for (const entry of await readdir(path.join(root, from, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) await copyAssets(child);
    else if (ASSET.test(entry.name)) await cp(path.join(root, from, child), path.join(root, to, child));
  }
}

await copyAssets(".");
