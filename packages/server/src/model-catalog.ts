import { readFile } from "node:fs/promises";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { besidesBoundInput, isJudgeModel } from "@hardhat-zkml/core/bound-address.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { sha256Json } from "@hardhat-zkml/core/hash.js";
import { scoreOutput } from "@hardhat-zkml/core/reward/score.js";
import { readManifest, type InstanceSlot, type Manifest } from "@hardhat-zkml/core/manifest.js";
import type { ContractMetrics } from "@hardhat-zkml/core/pipeline/model-info.js";

// A type, not an interface: the Model schema's reply type (open objects) accepts it.
export type ServedInput = {
  name: string;
  index: number;
  shape: (number | null)[];
  elements: number;
  min?: number;
  max?: number;
};

/** A served model as GET /v1/models shows it. */
export interface ServedModel {
  name: string;
  /**
   * The inputs a client sends, in order: every ONNX input except the bound-address one
   * (filled from `prover`); `index` is the input's position in the ONNX model, and
   * `min`..`max` the calibrated range (values outside it are refused).
   */
  inputs: ServedInput[];
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

/** ezkl's default lookup safety margin: its lookup tables span the calibrated extremes times this. */
export const CALIBRATION_MARGIN = 2;

/**
 * Each input's accepted range, in the client's units: the calibration data's extremes
 * widened by ezkl's lookup safety margin, the room its tables were sized with (a value far
 * outside the data drives lookups past them, and no verifier accepts the proof).
 */
export async function calibratedRanges(file: string | undefined): Promise<({ min: number; max: number } | undefined)[]> {
  if (file === undefined) return [];
  let data: unknown[];
  try {
    data = (JSON.parse(await readFile(file, "utf8")) as { input_data?: unknown[] }).input_data ?? [];
  } catch {
    return []; // the build read it; a server without the file serves without ranges
  }
  return data.map((values) => {
    const numbers = (Array.isArray(values) ? values.flat(Infinity) : []).filter((v): v is number => typeof v === "number");
    if (numbers.length === 0) return undefined;
    const seen = numbers.reduce((r, v) => ({ min: Math.min(r.min, v), max: Math.max(r.max, v) }), { min: Infinity, max: -Infinity });
    const widen = CALIBRATION_MARGIN - 1;
    return { min: seen.min - Math.abs(seen.min) * widen, max: seen.max + Math.abs(seen.max) * widen };
  });
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
    const judge = isJudgeModel(instances, bound);
    // A judge whose score is ambiguous is refused here, at start, rather than after each proof.
    if (judge) scoreOutput(model, manifest.io);
    const userRanges = await calibratedRanges(model.calibrationData);
    // boundAddress: true adds the key as the built graph's input 0; the user's data lacks it.
    const ranges = bound?.added ? [undefined, ...userRanges] : userRanges;
    const contracts = [];
    for (const [role, c] of Object.entries(manifest.contracts ?? {})) {
      const m = measure ? await measure(c.contract).catch(() => undefined) : undefined;
      contracts.push({ role, contract: c.contract, bytecodeSize: m?.bytecodeSize, deployGas: m?.deployGas.toString() });
    }
    catalog.set(model.name, {
      name: model.name,
      inputs: besidesBoundInput(
        manifest.io.inputs.map((x, index) => ({ name: x.name, index, shape: x.shape, elements: elements(x.shape), ...ranges[index] })),
        bound,
      ),
      outputs: manifest.io.outputs,
      instances,
      boundAddress: bound,
      judge,
      logrows: manifest.circuit.logrows,
      srs: { source: manifest.srs?.source ?? "dev", insecure: manifest.srs?.insecure ?? true },
      contracts,
      artifactsId: artifactsIdOf(manifest),
    });
  }
  return catalog;
}
