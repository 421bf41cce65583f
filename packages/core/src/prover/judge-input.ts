import { ZkError } from "../errors.js";
import type { ZkModelConfig } from "../config-types.js";
import type { Manifest } from "../manifest.js";

/** Which model input takes the spectrogram: the one input besides the bound address. */
export interface SpectrogramInput {
  index: number;
  name: string;
  shape: (number | null)[];
}

export function spectrogramInputOf(model: ZkModelConfig, io: Manifest["io"]): SpectrogramInput {
  if (io === undefined)
    throw new ZkError(`model "${model.name}": its manifest has no input shapes; run \`npx hardhat zk setup --model ${model.name}\``);
  const candidates = io.inputs.map((input, index) => ({ ...input, index })).filter((x) => x.index !== model.boundAddress?.input);
  if (candidates.length !== 1) {
    throw new ZkError(
      `model "${model.name}" has ${candidates.length} inputs besides the bound address; audio features fill exactly one spectrogram input`,
    );
  }
  return candidates[0]!;
}

/** A zero field element: the placeholder `zk prove` replaces with the --prover address. */
export const BOUND_INPUT_PLACEHOLDER = "0".repeat(64);

/**
 * ezkl input_data for a judge: the features at the spectrogram input and, for models
 * that bind the prover's address, a placeholder at the bound input.
 */
export function audioInputData(model: ZkModelConfig, io: Manifest["io"], features: number[]): (number | string)[][] {
  const target = spectrogramInputOf(model, io);
  return io!.inputs.map((_, i) => (i === target.index ? features : [BOUND_INPUT_PLACEHOLDER]));
}
