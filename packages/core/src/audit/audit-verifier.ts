import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ZkModelConfig } from "../config-types.js";
import type { Manifest } from "../manifest.js";
import { ModelBuild, type BuildContext } from "../pipeline/context.js";
import { emitVerifierContracts, plannedVerifierContracts, verifierHeader } from "../pipeline/generate-verifier.js";
import { compileRuntime, type CompiledRuntime, type CompilerConfig } from "./compile-solidity.js";
import { compareRuntimeCode, type CodeComparison } from "./runtime-code.js";

/** A generated contract rebuilt from the model's recorded keys, settings and SRS. */
export interface RebuiltContract {
  /** "verifier", "reusableVerifier" or "vka" (see generateVerifier). */
  role: string;
  contract: string;
  /** The source name it is compiled under (where `zk verifier` places it). */
  sourceName: string;
  source: string;
  /**
   * "constructor": the runtime code is what the constructor returns (ezkl's VK artifact
   * writes the key as code), so the rebuild runs the creation code; "solc": solc's runtime code.
   */
  runtimeFrom: "solc" | "constructor";
}

export interface RebuiltVerifier {
  model: string;
  /** sha256 of the verifying key, settings and SRS the rebuild read (each checked against the manifest). */
  vk: string;
  settings: string;
  srs: string;
  contracts: RebuiltContract[];
  manifest: Manifest;
}

/**
 * Regenerates a model's verifier Solidity from the inputs its manifest records (vk, settings
 * and SRS, each hash-checked first), with the same ezkl step `zk verifier` runs, in a
 * temporary folder: nothing in the project is written.
 */
export async function rebuildVerifier(model: ZkModelConfig, ctx: BuildContext): Promise<RebuiltVerifier> {
  const build = await ModelBuild.open(model, ctx);
  const { paths } = build;
  const vk = await build.recordedHash("keys", paths.vk);
  const settings = await build.recordedHash("settings", paths.settings);
  const srs = await build.recordedHash("srs", paths.srs);
  const tmp = await mkdtemp(path.join(os.tmpdir(), `zk-audit-${model.name}-`));
  try {
    const planned = plannedVerifierContracts(model, path.join(tmp, "out"));
    await emitVerifierContracts(ctx.root, model, paths, planned, path.join(tmp, "sol"), verifierHeader(model.name));
    const sourceDir = path.relative(ctx.root, ctx.generatedContractsDir);
    const contracts = await Promise.all(
      planned.map(async (p) => ({
        role: p.role,
        contract: p.contract,
        sourceName: path.posix.join(sourceDir.split(path.sep).join("/"), path.basename(p.file)),
        source: await readFile(p.file, "utf8"),
        runtimeFrom: p.role === "vka" ? ("constructor" as const) : ("solc" as const),
      })),
    );
    return { model: model.name, vk, settings, srs, contracts, manifest: build.manifest };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface CodeAudit {
  role: string;
  contract: string;
  address: string;
  /** The compiler configuration whose rebuild matched, or the first one tried. */
  profile: string;
  comparison: CodeComparison;
}

/** Runs creation code without deploying it and returns the code it would leave (e.g. eth_call without `to`). */
export type RunConstructor = (creationCode: string) => Promise<string>;

/**
 * Compiles each rebuilt contract under each of the project's compiler configurations and
 * compares it with the code deployed at its address; the first configuration that matches wins.
 */
export async function auditContracts(
  rebuilt: RebuiltVerifier,
  deployed: { role: string; address: string; code: string }[],
  compilers: CompilerConfig[],
  runConstructor: RunConstructor,
): Promise<CodeAudit[]> {
  const seen = new Map<string, Promise<CompiledRuntime>>();
  const compile = (c: RebuiltContract, compiler: CompilerConfig) => {
    const key = `${c.role}:${compiler.version}:${JSON.stringify(compiler.settings)}`;
    if (!seen.has(key)) seen.set(key, compileRuntime(c.sourceName, c.source, c.contract, compiler));
    return seen.get(key)!;
  };
  const audits: CodeAudit[] = [];
  for (const target of deployed) {
    const contract = rebuilt.contracts.find((c) => c.role === target.role);
    if (contract === undefined) throw new Error(`model ${rebuilt.model} builds no ${target.role} contract`);
    let chosen: CodeAudit | undefined;
    for (const compiler of compilers) {
      const compiled = await compile(contract, compiler);
      const comparison =
        contract.runtimeFrom === "constructor"
          ? compareRuntimeCode(target.code, { code: await runConstructor(compiled.creation), immutables: [] }, false)
          : compareRuntimeCode(target.code, compiled);
      const audit = { role: target.role, contract: contract.contract, address: target.address, profile: compiler.profile, comparison };
      if (chosen === undefined || (comparison.same && !chosen.comparison.same)) chosen = audit;
      if (comparison.same) break;
    }
    audits.push(chosen!);
  }
  return audits;
}

/** One line per audited contract: what matched, or where it differs. */
export function describeCodeAudit(a: CodeAudit): string {
  const c = a.comparison;
  if (c.same) {
    const aside = [c.metadataDiffers ? "metadata hash differs" : "", c.immutablesDiffer ? "immutables set at deployment" : ""].filter(
      Boolean,
    );
    return `${a.contract} at ${a.address}: runtime code matches the rebuild (${a.profile} profile${aside.length > 0 ? `; ${aside.join(", ")}` : ""})`;
  }
  if (c.deployedLength === 0) return `${a.contract} at ${a.address}: no contract code at this address`;
  return (
    `${a.contract} at ${a.address}: runtime code differs from the rebuild at byte ${c.firstDifference} ` +
    `(deployed ${c.deployedLength} bytes, rebuilt ${c.rebuiltLength} bytes, metadata aside; compared with the ${a.profile} profile)`
  );
}
