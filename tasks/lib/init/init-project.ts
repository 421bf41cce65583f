import { appendFile, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { exists } from "@hardhat-zkml/core/manifest.js";

/** The example judge `zk init` writes: its files ship in the plugin package under models/. */
export const EXAMPLE_MODEL = "voiceJudgeSmall";
export const EXAMPLE_FILES = ["model.onnx", "calibration.json", "input.json"] as const;

/** The config entry of the example judge, as it goes under `zk.models`. */
export const EXAMPLE_ENTRY = `    ${EXAMPLE_MODEL}: {
      // The example judge, (key, x) -> [key, score]: key is the prover's address, carried through.
      onnx: "models/${EXAMPLE_MODEL}/model.onnx",
      calibrationData: "models/${EXAMPLE_MODEL}/calibration.json",
      input: "polycommit", // the reward pays each committed recording once
      inputScale: 7,
      paramScale: 7,
      ignoreRangeCheckInputsOutputs: true,
      boundAddress: { input: 0, output: 0 },
    },`;

export const ZK_BLOCK = `  zk: {
    models: {
${EXAMPLE_ENTRY}
    },
  },`;

/** tsconfig.json for the project's config, scripts, tests and the typings `zk setup` writes. */
export const TSCONFIG = {
  compilerOptions: {
    lib: ["es2023"],
    module: "node16",
    target: "es2022",
    moduleResolution: "node16",
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    noEmit: true,
    types: ["node", "mocha"],
  },
  include: ["hardhat.config.ts", "scripts/**/*.ts", "test/**/*.ts", "ignition/**/*.ts", "types/**/*.ts"],
};

export interface InitOptions {
  /** The project root (hre.config.paths.root). */
  root: string;
  /** The Hardhat config file (hre.config.paths.config; absent for a runtime made in code). */
  configFile?: string;
  /** The plugin package's root, where the example's files are. */
  packageRoot: string;
  /** What the plugin writes, relative to the root or absolute: ignored by git. */
  outputs: { artifactsDir: string; generatedContractsDir: string };
  /** Overwrite the example's files and tsconfig.json if they exist (never the config). */
  force: boolean;
}

export interface InitResult {
  /** Files written (relative to the root). */
  written: string[];
  /** Files left as they were, with why. */
  kept: string[];
  /** "edited": the zk entry was added to the config; "present": it names the example already; "snippet": add it by hand. */
  config: "edited" | "present" | "snippet";
  /** Lines added to .gitignore. */
  gitignore: string[];
}

/** Exactly one `export default defineConfig({` (or `export default {`): the one place a property can be added. */
const CONFIG_OBJECT = /export\s+default\s+(?:defineConfig\(\s*)?\{/g;

/**
 * Adds the `zk` entry at the start of the exported config object, when that is safe: the
 * file exports one object literal and has no `zk` property yet. Otherwise returns undefined.
 */
export function withZkEntry(config: string): string | undefined {
  const matches = [...config.matchAll(CONFIG_OBJECT)];
  if (matches.length !== 1 || /(^|[\s,{])zk\s*:/.test(config)) return undefined;
  const end = matches[0]!.index! + matches[0]![0].length;
  return `${config.slice(0, end)}\n${ZK_BLOCK}${config.slice(end)}`;
}

/** The lines of .gitignore for what the plugin and its toolchain write. */
export function ignoredPaths(root: string, outputs: InitOptions["outputs"]): string[] {
  const rel = (p: string) => `${path.relative(root, path.resolve(root, p)).split(path.sep).join("/")}/`;
  return [
    ".venv/", // the Python toolchain of `zk install-python` (about 360 MB)
    rel(outputs.artifactsDir), // keys, SRS, proofs
    rel(outputs.generatedContractsDir), // generated verifiers and attesters
    ".tools/", // the solc shim ezkl runs
    ".zk-service/", // API keys and jobs of `zk serve`
    "types/", // typechain output and the zk.model typings
    "artifacts/",
    "cache/",
    "node_modules/",
  ];
}

/**
 * `npx hardhat zk init`: the example judge's files, its config entry, a tsconfig.json and
 * the .gitignore lines. Existing files are kept unless `force`; the config is edited only
 * when a property can be added safely (see withZkEntry), never overwritten.
 */
export async function initProject(opts: InitOptions): Promise<InitResult> {
  const { root } = opts;
  const result: InitResult = { written: [], kept: [], config: "snippet", gitignore: [] };
  const rel = (p: string) => path.relative(root, p);
  const put = async (file: string, write: () => Promise<void>) => {
    if (!opts.force && (await exists(file))) {
      result.kept.push(`${rel(file)} (exists; --force overwrites it)`);
      return;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await write();
    result.written.push(rel(file));
  };

  for (const name of EXAMPLE_FILES) {
    const target = path.join(root, "models", EXAMPLE_MODEL, name);
    await put(target, () => copyFile(path.join(opts.packageRoot, "models", EXAMPLE_MODEL, name), target));
  }

  const config = opts.configFile === undefined ? undefined : await readFile(opts.configFile, "utf8");
  if (config !== undefined && new RegExp(`\\b${EXAMPLE_MODEL}\\s*:`).test(config)) {
    result.config = "present";
  } else {
    const edited = config === undefined ? undefined : withZkEntry(config);
    if (edited !== undefined) {
      await writeFile(opts.configFile!, edited);
      result.config = "edited";
    }
  }

  const tsconfig = path.join(root, "tsconfig.json");
  await put(tsconfig, () => writeFile(tsconfig, JSON.stringify(TSCONFIG, null, 2) + "\n"));

  const gitignore = path.join(root, ".gitignore");
  const present = (await exists(gitignore)) ? await readFile(gitignore, "utf8") : "";
  const have = new Set(
    present.split(/\r?\n/).map((l) =>
      l
        .trim()
        .replace(/^\//, "")
        .replace(/([^/])$/, "$1/"),
    ),
  );
  result.gitignore = ignoredPaths(root, opts.outputs).filter((line) => !have.has(line));
  if (result.gitignore.length > 0) {
    const lead = present === "" || present.endsWith("\n") ? "" : "\n";
    await appendFile(gitignore, `${lead}# hardhat-zkml\n${result.gitignore.join("\n")}\n`);
  }
  return result;
}

/** What `zk init` prints: what it did, the snippet when the config was not edited, and the next commands. */
export function initReport(result: InitResult, configFile = "hardhat.config.ts"): string {
  const lines = [
    ...result.written.map((f) => `wrote   ${f}`),
    ...result.kept.map((f) => `kept    ${f}`),
    result.config === "edited"
      ? `edited  ${path.basename(configFile)}: added zk.models.${EXAMPLE_MODEL}`
      : result.config === "present"
        ? `kept    ${path.basename(configFile)}: zk.models.${EXAMPLE_MODEL} is there already`
        : `add this to ${path.basename(configFile)} under zk.models (the file could not be edited safely):\n\n${EXAMPLE_ENTRY}\n`,
    result.gitignore.length > 0 ? `.gitignore: added ${result.gitignore.join(" ")}` : ".gitignore: nothing to add",
    "",
    "next:",
    "  npx hardhat zk install-python   # once: .venv with the pinned ezkl (PyPI), or set zk.python",
    "  npx hardhat zk doctor",
    `  npx hardhat zk setup --model ${EXAMPLE_MODEL}`,
    `  npx hardhat zk verifier --model ${EXAMPLE_MODEL}`,
    `  npx hardhat zk prove --model ${EXAMPLE_MODEL} --prover 0x70997970C51812dc3A010C7d01b50e0d17dc79C8`,
    "  npx tsc --noEmit                # the typed API's compile errors (needs typescript and @types/mocha)",
  ];
  return lines.join("\n");
}
