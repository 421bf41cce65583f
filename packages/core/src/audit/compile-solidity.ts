import { createRequire } from "node:module";
import { ZkError } from "../errors.js";

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
  /** Byte ranges solc leaves for immutables (filled at deployment). */
  immutables: { start: number; length: number }[];
}

interface Solc {
  version(): string;
  compile(input: string): string;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<
      string,
      { evm: { deployedBytecode: { object: string; immutableReferences?: Record<string, { start: number; length: number }[]> } } }
    >
  >;
}

const solc = (): Solc => createRequire(import.meta.url)("solc") as Solc;

/** The pinned npm solc's version, e.g. "0.8.20". */
export function npmSolcVersion(): string {
  return solc().version().split("+")[0]!;
}

/**
 * Compiles one self-contained source with the pinned npm solc (no download) and returns the
 * runtime code of `contract`. Refuses a configuration for another solc version.
 */
export function compileRuntime(sourceName: string, source: string, contract: string, compiler: CompilerConfig): CompiledRuntime {
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
      outputSelection: { [sourceName]: { [contract]: ["evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"] } },
    },
  };
  const output = JSON.parse(solc().compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new ZkError(`solc could not compile ${sourceName}: ${errors[0]!.formattedMessage.split("\n")[0]}`);
  const compiled = output.contracts?.[sourceName]?.[contract];
  if (compiled === undefined) throw new ZkError(`${sourceName} has no contract ${contract}`);
  const refs = compiled.evm.deployedBytecode.immutableReferences ?? {};
  return { code: "0x" + compiled.evm.deployedBytecode.object, immutables: Object.values(refs).flat() };
}
