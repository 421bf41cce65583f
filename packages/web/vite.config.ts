import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The engine's threaded web build (wasm-bindgen-rayon) as published cannot start its
 * workers in a browser: workerHelpers.js builds the worker's URL from
 * `import.meta.resolve` (a function, so the URL is invalid), and the worker imports its
 * folder ('../../../') rather than ezkl.js. Both are fixed in the bundle (the installed
 * package is not edited); a missing pattern stops the build, as the Node loader does
 * (packages/core/src/prover/web-engine.ts).
 */
function engineGlueFixes(): Plugin {
  const fixes: [RegExp, string, string][] = [
    [
      /workerHelpers\.js$/,
      "new URL('./workerHelpers.worker.js', import.meta.resolve)",
      "new URL('./workerHelpers.worker.js', import.meta.url)",
    ],
    [/workerHelpers\.worker\.js$/, "from '../../../';", "from '../../../ezkl.js';"],
  ];
  return {
    name: "ezkl-engine-glue-fixes",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?")[0]!;
      if (!file.includes("@ezkljs/engine/web/snippets/")) return null;
      let out = code;
      for (const [match, from, to] of fixes) {
        if (!match.test(file)) continue;
        if (out.split(from).length !== 2) this.error(`cannot apply the engine's glue fix to ${file}: "${from}" not found once`);
        out = out.replace(from, to);
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default defineConfig({
  // Served at / by zk serve; relative asset URLs also let it live under a sub-path.
  base: "./",
  resolve: {
    alias: [
      // The workspace's sources, as tsconfig's paths give them to Node (no package build needed first).
      { find: /^@hardhat-zkml\/audio$/, replacement: src("../audio/src/index.ts") },
      { find: /^@hardhat-zkml\/audio\/(.*)$/, replacement: src("../audio/src/$1") },
      { find: /^@hardhat-zkml\/core\/(.*)$/, replacement: src("../core/src/$1") },
    ],
  },
  plugins: [engineGlueFixes()],
  worker: { format: "es", plugins: () => [engineGlueFixes()] },
  optimizeDeps: { exclude: ["@ezkljs/engine"], include: ["json-bigint"] },
  server: {
    headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
  },
  preview: {
    headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
  },
  // The audio chunk is ~2.2 MB: its decoders' and resampler's WASM, inlined as base64 by their packages (loaded on first use).
  build: { target: "es2022", chunkSizeWarningLimit: 2600 },
});
