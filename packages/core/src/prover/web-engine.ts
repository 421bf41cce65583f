import { mkdir, readFile, rename, rm, writeFile, access } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ZkError } from "../errors.js";
import { sha256 } from "../hash.js";

const require = createRequire(import.meta.url);
const RAYON = "snippets/wasm-bindgen-rayon-3e04391371ad0a8e/src";

/**
 * The @ezkljs/engine 21.0.0 `web` build files the threaded backend runs, with their
 * sha256. The glue fixes below were written against exactly these bytes; any change
 * (another engine version, a hand edit) stops the loader instead of patching blindly.
 */
export const WEB_BUILD_FILES: Record<string, string> = {
  "ezkl.js": "d7d044cb0f2936b8093e16f5f5633faa4818005e6eb2608fc632a60ef39d43d5",
  "ezkl_bg.wasm": "420a9c288376b30404c391ee71dc530b4fac2284d9babc0eabc1c81a0ac2fd66",
  "utils.js": "e3a31621702e6d4e9d4d871955ae29be7031532e3534b972e7b9e42d96a13928",
  [`${RAYON}/workerHelpers.js`]: "f3478d4425d5e2c2dc393f30e82104b662d97981828e787eb1476aa0443d3c3c",
  [`${RAYON}/workerHelpers.worker.js`]: "1395bc57cc521681313fe82df7dc6d7aea318b5f4d070b98bfd4fe717a54e4cf",
};

interface Rewrite {
  file: string;
  from: string;
  to: string;
}

/**
 * Three fixes make the browser glue run in Node worker_threads (DESIGN.md): the helper
 * resolves its worker with import.meta.url and gets a Worker from the `web-worker`
 * package; the worker imports ezkl.js rather than the folder; it listens with
 * addEventListener (the polyfill does not deliver to a bare `onmessage =`). utils.js
 * imports json-bigint by absolute URL since the copy lives outside the package.
 */
function rewrites(): Rewrite[] {
  const webWorker = import.meta.resolve("web-worker");
  const jsonBigint = pathToFileURL(require.resolve("json-bigint", { paths: [engineDir()] })).href;
  return [
    { file: `${RAYON}/workerHelpers.js`, from: "let _workers;", to: `import Worker from ${JSON.stringify(webWorker)};\nlet _workers;` },
    {
      file: `${RAYON}/workerHelpers.js`,
      from: "new URL('./workerHelpers.worker.js', import.meta.resolve)",
      to: "new URL('./workerHelpers.worker.js', import.meta.url)",
    },
    { file: `${RAYON}/workerHelpers.worker.js`, from: "from '../../../';", to: "from '../../../ezkl.js';" },
    {
      file: `${RAYON}/workerHelpers.worker.js`,
      from: "onmessage = async ({ data: { module, memory, receiver } }) => {",
      to: "addEventListener('message', async ({ data: { module, memory, receiver } }) => {",
    },
    // (This file has CRLF line ends.)
    {
      file: `${RAYON}/workerHelpers.worker.js`,
      from: "  wbg_rayon_start_worker(receiver);\r\n};",
      to: "  wbg_rayon_start_worker(receiver);\r\n}, { once: true });",
    },
    { file: "utils.js", from: 'from "json-bigint";', to: `from ${JSON.stringify(jsonBigint)};` },
  ];
}

function engineDir(): string {
  return path.dirname(path.dirname(require.resolve("@ezkljs/engine/nodejs/ezkl.js")));
}

const FIX = "reinstall @ezkljs/engine 21.0.0 (`npm install`), or use --backend wasm";

/**
 * Copies the engine's `web` build into a cache folder and applies the glue fixes to
 * the copy (the installed package is never edited). Checks every original against
 * WEB_BUILD_FILES first. Returns the folder holding the patched ezkl.js.
 */
export async function preparedWebEngine(options: { sourceDir?: string; cacheRoot?: string } = {}): Promise<string> {
  const source = options.sourceDir ?? path.join(engineDir(), "web");
  const originals = new Map<string, Buffer>();
  for (const [file, want] of Object.entries(WEB_BUILD_FILES)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(source, file));
    } catch {
      throw new ZkError(`backend "wasm-threads": the engine's web build has no ${file} (${source}); ${FIX}`);
    }
    if (sha256(bytes) !== want)
      throw new ZkError(
        `backend "wasm-threads": the engine's web build file ${file} is not the one the thread fixes were written for; ${FIX}`,
      );
    originals.set(file, bytes);
  }
  const edits = rewrites();
  const tag = sha256(Buffer.from(JSON.stringify(edits))).slice(0, 16);
  const cacheRoot = options.cacheRoot ?? path.join(path.dirname(path.dirname(engineDir())), ".cache", "hardhat-zkml");
  const target = path.join(cacheRoot, `engine-web-${tag}`);
  try {
    await access(path.join(target, "ready"));
    return target;
  } catch {
    // not prepared yet
  }
  const texts = new Map<string, string>();
  for (const e of edits) {
    const text = texts.get(e.file) ?? originals.get(e.file)!.toString("utf8");
    if (text.split(e.from).length !== 2) throw new ZkError(`backend "wasm-threads": cannot apply a thread fix to ${e.file}; ${FIX}`);
    texts.set(
      e.file,
      text.replace(e.from, () => e.to),
    );
  }
  const tmp = `${target}.${process.pid}.${Date.now()}`;
  for (const [file, bytes] of originals) {
    await mkdir(path.dirname(path.join(tmp, file)), { recursive: true });
    await writeFile(path.join(tmp, file), texts.get(file) ?? bytes);
  }
  // ES modules without a "type" make Node warn MODULE_TYPELESS_PACKAGE_JSON.
  await writeFile(path.join(tmp, "package.json"), JSON.stringify({ name: "ezkl-web-threads", type: "module", private: true }) + "\n");
  await writeFile(path.join(tmp, "ready"), "");
  try {
    await rename(tmp, target);
  } catch {
    // Another process prepared it first; theirs is identical.
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}
