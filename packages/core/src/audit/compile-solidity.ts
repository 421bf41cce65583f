import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { ZkError } from "../errors.js";
import { PACKAGE_LIB_DIR } from "../project-paths.js";

/** A compiler configuration of the project (e.g. a Hardhat build profile): solc version and settings. */
export interface CompilerConfig {
  /** Where it came from, for messages: e.g. "default" or "production". */
  profile: string;
  version: string;
  /** solc standard-JSON settings (optimizer, evmVersion, viaIR, ...); outputSelection is replaced. */
  settings: Record<string, unknown>;
}

/** A contract's runtime code as solc emits it. */
export interface CompiledRuntime {
  /** Runtime bytecode, 0x-prefixed hex. */
  code: string;
  /** Creation bytecode, 0x-prefixed hex. */
  creation: string;
  /** Byte ranges solc leaves for immutables (filled at deployment). */
  immutables: { start: number; length: number }[];
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<
      string,
      {
        evm: {
          bytecode: { object: string };
          deployedBytecode: { object: string; immutableReferences?: Record<string, { start: number; length: number }[]> };
        };
      }
    >
  >;
}

/** The pinned npm solc's version, e.g. "0.8.20". */
export function npmSolcVersion(): string {
  return (createRequire(import.meta.url)("solc/package.json") as { version: string }).version;
}

/**
 * solc's standard JSON through the same launcher ezkl uses (solc-shim.cjs, the npm solc), in a
 * child process: a verifier takes seconds to compile, and in-process soljson would block the
 * event loop (and the RPC connection's keep-alive) all that time.
 */
function solcStandardJson(input: object, version: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PACKAGE_LIB_DIR, "ezkl", "solc-shim.cjs"), "--standard-json"], {
      env: { ...process.env, ZK_SOLC_EXPECTED_VERSION: version },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new ZkError(`solc failed: ${err.trim() || `exit ${code}`}`))));
    child.stdin.end(JSON.stringify(input));
  });
}

/**
 * Compiles one self-contained source with the pinned npm solc (no download) and returns the
 * runtime code of `contract`. Refuses a configuration for another solc version.
 */
export async function compileRuntime(
  sourceName: string,
  source: string,
  contract: string,
  compiler: CompilerConfig,
): Promise<CompiledRuntime> {
  const have = npmSolcVersion();
  if (compiler.version !== have) {
    throw new ZkError(
      `the project compiles with solc ${compiler.version} (${compiler.profile} profile) but the installed npm solc is ${have}; set solidity.version to ${have} or install solc@${compiler.version}`,
    );
  }
  const input = {
    language: "Solidity",
    sources: { [sourceName]: { content: source } },
    settings: {
      ...compiler.settings,
      outputSelection: {
        [sourceName]: { [contract]: ["evm.bytecode.object", "evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"] },
      },
    },
  };
  const output = JSON.parse(await solcStandardJson(input, have)) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new ZkError(`solc could not compile ${sourceName}: ${errors[0]!.formattedMessage.split("\n")[0]}`);
  const compiled = output.contracts?.[sourceName]?.[contract];
  if (compiled === undefined) throw new ZkError(`${sourceName} has no contract ${contract}`);
  const refs = compiled.evm.deployedBytecode.immutableReferences ?? {};
  return {
    code: "0x" + compiled.evm.deployedBytecode.object,
    creation: "0x" + compiled.evm.bytecode.object,
    immutables: Object.values(refs).flat(),
  };
}
