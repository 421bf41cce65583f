import path from "node:path";
import type { GateOptions } from "@hardhat-zkml/audio/gate.js";
import { besidesBoundInput, stripBoundPlaceholder } from "../bound-address.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { parseUserJson, readUserFile } from "../json-file.js";
import type { Manifest } from "../manifest.js";
import type { ModelInputs } from "./model-prover.js";

/**
 * Where a task's model inputs come from: an ezkl input JSON file (default: input.json
 * beside the ONNX), or a recording whose features become the judge's input.
 */
export interface ModelInputSource {
  file?: string;
  audio?: string;
  /** The recording gate's thresholds for `audio` (false: none). */
  gate?: Partial<GateOptions> | false;
}

/** The input file used when none is given: input.json beside the model's ONNX. */
export function defaultInputFile(model: ZkModelConfig): string {
  return path.join(path.dirname(model.onnx), "input.json");
}

/**
 * The model's inputs, one flattened array per ONNX input except the bound-address input
 * (the prover's key is filled in at proving time). The same file serves `zk prove` and
 * `zk claim`: it may list every ONNX input, with a placeholder at the bound input, or
 * only the inputs besides the key.
 */
export async function readModelInputs(model: ZkModelConfig, io: Manifest["io"], source: ModelInputSource = {}): Promise<ModelInputs> {
  if (io === undefined) {
    throw new ZkError(
      `model "${model.name}": its manifest has no input shapes; run \`npx hardhat zk setup --model ${model.name} --force\``,
    );
  }
  if (source.audio !== undefined) {
    if (source.file !== undefined) throw new ZkError("give --input or --audio, not both");
    // Loaded only when a recording is given: the decoders are not needed to prove a JSON input.
    const { recordingInputFor } = await import("./recording-input.js");
    const { inputData } = await recordingInputFor(model, io, source.audio, source.gate ?? {});
    return besidesBoundInput(inputData, model.boundAddress) as ModelInputs;
  }
  const file = source.file !== undefined ? path.resolve(source.file) : defaultInputFile(model);
  const shape = '{"input_data": [[...], ...]} with one array per model input';
  const bytes = await readUserFile(file, "input file", `pass --input <file> with ${shape}`);
  const data = parseUserJson<{ input_data?: unknown }>(bytes, file, "input file", shape);
  const rows = data?.input_data;
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
    throw new ZkError(`input file ${path.relative(process.cwd(), file)} has no "input_data" array of arrays; expected ${shape}`);
  }
  const bound = model.boundAddress;
  const names = io.inputs.map((x) => x.name);
  const besidesKey = besidesBoundInput(names, bound);
  const inputs = stripBoundPlaceholder(rows, bound, besidesKey.length);
  if (inputs.length !== besidesKey.length) {
    const expected =
      bound !== undefined
        ? `${besidesKey.length} (${besidesKey.join(", ")}), or ${names.length} with a placeholder for the bound key "${names[bound.input]}"`
        : `${names.length} (${names.join(", ")})`;
    throw new ZkError(
      `input file ${path.relative(process.cwd(), file)} has ${rows.length} input array(s); model "${model.name}" needs ${expected}`,
    );
  }
  return inputs as ModelInputs;
}
