import { createRequire } from "node:module";

/** The @ezkljs/engine nodejs build (WASM), loaded once per process or worker. */
type EngineModule = typeof import("@ezkljs/engine/nodejs/ezkl.js");

let engine: EngineModule | undefined;

export function loadEngine(): EngineModule {
  if (engine === undefined) {
    const require = createRequire(import.meta.url);
    engine = require("@ezkljs/engine/nodejs/ezkl.js") as EngineModule;
  }
  return engine;
}

/** The engine takes every argument as Uint8ClampedArray over the file's bytes. */
export function clamped(bytes: Uint8Array | string): Uint8ClampedArray {
  const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return new Uint8ClampedArray(b.buffer, b.byteOffset, b.byteLength);
}

export { ENGINE_VERSION } from "./versions.js";
