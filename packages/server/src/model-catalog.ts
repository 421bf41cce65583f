import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { sha256Json } from "@hardhat-zkml/core/hash.js";
import { readManifest, type InstanceSlot, type Manifest } from "@hardhat-zkml/core/manifest.js";
import type { ContractMetrics } from "@hardhat-zkml/core/pipeline/model-info.js";

/** A served model as GET /v1/models shows it. */
export interface ServedModel {
  name: string;
  /** The inputs a client sends (the bound-address input is filled from `prover`). */
  inputs: { name: string; shape: (number | null)[]; elements: number }[];
  outputs: { name: string; shape: (number | null)[] }[];
  instances: InstanceSlot[];
  /** The input index (in the ONNX model) that carries the prover's address, if any. */
  boundAddress?: { input: number; output: number };
  /** A judge model: address and score as public outputs, claimable on JudgmentReward. */
  judge: boolean;
  logrows: number;
  srs: { source: string; insecure: boolean };
  contracts: { role: string; contract: string; bytecodeSize?: number; deployGas?: string }[];
  artifactsId: string;
}

/** Identifies a model's build: the hash of every output its manifest records. */
export function artifactsIdOf(manifest: Manifest): string {
  return sha256Json(Object.fromEntries(Object.entries(manifest.steps).map(([step, r]) => [step, r.outputs])));
}

const elements = (shape: (number | null)[]) => shape.reduce<number>((n, d) => n * (d ?? 1), 1);

/**
 * The configured models that have been built, read from their manifests (cheap: no
 * keys are loaded). `measure` adds each generated contract's size and deploy gas.
 */
export async function loadCatalog(
  models: Record<string, ZkModelConfig>,
  artifactsDir: string,
  measure?: (contract: string) => Promise<ContractMetrics | undefined>,
): Promise<Map<string, ServedModel>> {
  const catalog = new Map<string, ServedModel>();
  for (const model of Object.values(models)) {
    const manifest = await readManifest(modelArtifacts(artifactsDir, model.name).manifest);
    if (manifest?.io === undefined || manifest.circuit === undefined || manifest.steps.keys === undefined) continue;
    const bound = model.boundAddress;
    const instances = manifest.instances ?? [];
    const contracts = [];
    for (const [role, c] of Object.entries(manifest.contracts ?? {})) {
      const m = measure ? await measure(c.contract).catch(() => undefined) : undefined;
      contracts.push({ role, contract: c.contract, bytecodeSize: m?.bytecodeSize, deployGas: m?.deployGas.toString() });
    }
    catalog.set(model.name, {
      name: model.name,
      inputs: manifest.io.inputs
        .filter((_, i) => i !== bound?.input)
        .map((x) => ({ name: x.name, shape: x.shape, elements: elements(x.shape) })),
      outputs: manifest.io.outputs,
      instances,
      boundAddress: bound,
      judge: bound !== undefined && instances.some((s) => s.source === "output" && s.tensor !== bound.output),
      logrows: manifest.circuit.logrows,
      srs: { source: manifest.srs?.source ?? "dev", insecure: manifest.srs?.insecure ?? true },
      contracts,
      artifactsId: artifactsIdOf(manifest),
    });
  }
  return catalog;
}
