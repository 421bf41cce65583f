import { stat } from "node:fs/promises";
import path from "node:path";
import { modelArtifacts } from "../artifacts.js";
import { isBoundOutput, scoreSlot } from "../bound-address.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { readManifest, type InstanceSlot, type Manifest } from "../manifest.js";
import { scoreOutput } from "../reward/score.js";
import { usableRows } from "./sizing/cost-model.js";

/** EIP-170: the largest deployable runtime bytecode. */
export const MAX_CODE_SIZE = 24_576;
/** EIP-7825: the per-transaction gas cap on the simulated network (osaka) and live networks. */
export const MAX_TX_GAS = 16_777_216n;

export interface ContractMetrics {
  bytecodeSize: number;
  deployGas: bigint;
}

export interface ModelInfo {
  model: string;
  logrows: number;
  rows: number;
  /** Column blocks ezkl spreads the rows over (1 when they fit 2^logrows). */
  blocks: number;
  numInnerCols?: number;
  sizing?: string;
  widestTableColumns: number;
  srs: { source: string; insecure: boolean; sha256?: string; origin?: string };
  instances: InstanceSlot[];
  /** Where a bound model's address enters and leaves, and which public instance is its score. */
  binding?: BindingInfo;
  files: Record<string, number>;
  contracts: { role: string; contract: string; metrics?: ContractMetrics; fitsCodeSize?: boolean; fitsTxGas?: boolean }[];
}

/** A port of the built graph: its index and the ONNX name (from the manifest's io record). */
export interface GraphPort {
  index: number;
  name?: string;
}

export interface BindingInfo {
  input: GraphPort;
  output: GraphPort;
  /** true: the build added the key to a copy of the user's graph (`boundAddress: true`). */
  added: boolean;
  /** The public instance that carries the address (JudgmentReward's recipientIndex); absent: the output is not public. */
  addressInstance?: number;
  /** The score's place (scoreOutput), or why none could be chosen (its one-line error). */
  score: { output: GraphPort; element: number; instance?: number; scale?: number } | { problem: string };
}

/** The bound address and the score as the reward reads them: the same slots as rewardLayout (reward/layout.ts). */
export function bindingInfo(model: ZkModelConfig, manifest: Manifest): BindingInfo | undefined {
  const bound = model.boundAddress;
  if (bound === undefined) return undefined;
  const slots = manifest.instances ?? [];
  const port = (index: number, ports?: { name: string }[]): GraphPort => ({ index, name: ports?.[index]?.name });
  let score: BindingInfo["score"];
  try {
    const place = scoreOutput(model, manifest.io);
    const slot = scoreSlot(slots, place);
    score = { output: port(place.tensor, manifest.io?.outputs), element: place.element, instance: slot?.index, scale: slot?.scale };
  } catch (e) {
    // zk info shows a model whose score is not settled yet; the reward's own commands refuse it.
    if (!(e instanceof ZkError)) throw e;
    score = { problem: e.message };
  }
  return {
    input: port(bound.input, manifest.io?.inputs),
    output: port(bound.output, manifest.io?.outputs),
    added: bound.added === true,
    addressInstance: slots.find((s) => isBoundOutput(s, bound))?.index,
    score,
  };
}

export async function modelInfo(
  model: ZkModelConfig,
  artifactsDir: string,
  measure?: (contract: string) => Promise<ContractMetrics | undefined>,
): Promise<ModelInfo> {
  const paths = modelArtifacts(artifactsDir, model.name);
  const manifest = await readManifest(paths.manifest);
  if (manifest?.circuit === undefined) {
    throw new ZkError(`model "${model.name}" has not been built; run \`npx hardhat zk setup --model ${model.name}\``);
  }
  const files: Record<string, number> = {};
  for (const file of [paths.settings, paths.compiled, paths.srs, paths.vk, paths.pk]) {
    const size = await stat(file)
      .then((s) => s.size)
      .catch(() => undefined);
    if (size !== undefined) files[path.basename(file)] = size;
  }
  const contracts = [];
  for (const [role, c] of Object.entries(manifest.contracts ?? {})) {
    const metrics = measure ? await measure(c.contract) : undefined;
    contracts.push({
      role,
      contract: c.contract,
      metrics,
      fitsCodeSize: metrics ? metrics.bytecodeSize <= MAX_CODE_SIZE : undefined,
      fitsTxGas: metrics ? metrics.deployGas <= MAX_TX_GAS : undefined,
    });
  }
  return {
    model: model.name,
    logrows: manifest.circuit.logrows,
    rows: manifest.circuit.numRows,
    blocks: Math.max(1, Math.ceil(manifest.circuit.numRows / usableRows(manifest.circuit.logrows))),
    numInnerCols: manifest.circuit.numInnerCols,
    sizing: manifest.sizing
      ? `${manifest.sizing.mode}: decomp ${manifest.sizing.chosen.decompBase}x${manifest.sizing.chosen.decompLegs}, ${manifest.sizing.candidates.length} candidate(s) tried` +
        (manifest.sizing.maxAbsError !== undefined ? `, max abs error ${manifest.sizing.maxAbsError.toExponential(2)}` : "") +
        (manifest.sizing.budget
          ? ` within maxError ${manifest.sizing.budget.maxError} at scales ${manifest.sizing.scales.input}/${manifest.sizing.scales.param}`
          : "") +
        (manifest.sizing.ezkl
          ? ` (ezkl's calibration: logrows ${manifest.sizing.ezkl.logrows}, error ${manifest.sizing.ezkl.maxAbsError.toExponential(2)})`
          : "")
      : undefined,
    widestTableColumns: manifest.circuit.widestTableColumns,
    srs: {
      source: manifest.srs?.source ?? "?",
      insecure: manifest.srs?.insecure ?? true,
      sha256: manifest.srs?.sha256,
      origin: manifest.srs?.origin,
    },
    instances: manifest.instances ?? [],
    binding: bindingInfo(model, manifest),
    files,
    contracts,
  };
}

const portText = (kind: string, p: GraphPort) => `${kind} ${p.index}${p.name !== undefined ? ` (${p.name})` : ""}`;
const instanceText = (index: number | undefined, field: string) =>
  index === undefined ? "not public (a reward cannot read it)" : `public instance [${index}] (the reward's ${field})`;

function formatBinding(b: BindingInfo): string[] {
  const origin = b.added
    ? "added by the build (boundAddress: true)"
    : `written in the model (boundAddress: { input: ${b.input.index}, output: ${b.output.index} })`;
  const score =
    "problem" in b.score
      ? `  score: none chosen: ${b.score.problem}`
      : `  score: ${portText("output", b.score.output)}, element ${b.score.element} = ${instanceText(b.score.instance, "scoreIndex")}` +
        (b.score.scale !== undefined ? `, scale 2^${b.score.scale}` : "");
  return [
    `  bound address: enters at ${portText("input", b.input)}, leaves at ${portText("output", b.output)} = ${instanceText(b.addressInstance, "recipientIndex")}; ${origin}`,
    score,
  ];
}

const kb = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`);

export function formatModelInfo(info: ModelInfo): string {
  const lines = [
    `${info.model}: logrows ${info.logrows}: ${info.rows} rows used of ${usableRows(info.logrows)} per column` +
      (info.blocks > 1 ? `, spread by ezkl over ${info.blocks} column blocks (not an overflow)` : "") +
      `${info.numInnerCols !== undefined ? `, ${info.numInnerCols} inner column(s)` : ""}; widest lookup table ${info.widestTableColumns} column(s)`,
    ...(info.sizing ? [`  sizing ${info.sizing}`] : []),
    `  SRS: ${info.srs.source}${info.srs.insecure ? " (INSECURE dev SRS: local networks only)" : ""}` +
      (info.srs.origin ? ` from ${info.srs.origin}` : "") +
      (info.srs.sha256 ? `, sha256 ${info.srs.sha256}` : ""),
    `  public instances (${info.instances.length}):`,
    ...info.instances.map((s) => `    [${s.index}] ${s.source} ${s.tensor}, element ${s.element}, scale 2^${s.scale}`),
    ...(info.binding ? formatBinding(info.binding) : []),
    `  files: ${Object.entries(info.files)
      .map(([f, n]) => `${f} ${kb(n)}`)
      .join(", ")}`,
  ];
  if (info.contracts.length === 0) lines.push("  contracts: none yet (run `npx hardhat zk verifier`)");
  for (const c of info.contracts) {
    if (!c.metrics) {
      lines.push(`  ${c.role} ${c.contract}: not compiled`);
      continue;
    }
    const size = `${c.metrics.bytecodeSize} / ${MAX_CODE_SIZE} bytes${c.fitsCodeSize ? "" : ' TOO LARGE (use verifier: "reusable")'}`;
    const gas = `deploy gas ${c.metrics.deployGas} / ${MAX_TX_GAS}${c.fitsTxGas ? "" : " OVER THE CAP"}`;
    lines.push(`  ${c.role} ${c.contract}: ${size}; ${gas}`);
  }
  return lines.join("\n");
}
