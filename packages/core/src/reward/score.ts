import type { ScorePlace } from "../bound-address.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import type { Manifest } from "../manifest.js";
import { elementCount } from "../shapes.js";

/** The score's place among the built graph's outputs: output `tensor`, flattened element `element`. */
export type ScoreOutput = ScorePlace;

/**
 * Which output value is the score: `zk.models.<m>.score` (counted over the outputs of the
 * user's model), else the one output with one element besides the bound address. Anything
 * else is one line listing the candidates and the setting that picks one.
 */
export function scoreOutput(model: ZkModelConfig, io: Manifest["io"]): ScoreOutput {
  if (io === undefined) {
    throw new ZkError(
      `model "${model.name}": its manifest has no output shapes; run \`npx hardhat zk setup --model ${model.name} --force\``,
    );
  }
  const bound = model.boundAddress;
  // boundAddress: true puts the key first in the built graph: the user's output i is output i + 1.
  const offset = bound?.added ? 1 : 0;
  const outputs = io.outputs.slice(offset).map((o, index) => ({ index, shape: o.shape }));
  const isKey = (index: number) => bound !== undefined && !bound.added && index === bound.output;
  const candidates = outputs.filter((o) => !isKey(o.index));
  const list = candidates.map((o) => `${o.index}: [${o.shape.join(",")}]`).join(", ");
  const setting = `zk.models.${model.name}.score`;
  if (model.score !== undefined) {
    const { output, element = 0 } = model.score;
    const chosen = candidates.find((o) => o.index === output);
    if (chosen === undefined) {
      const why = isKey(output) ? `output ${output} is the bound address` : `the model has no output ${output}`;
      throw new ZkError(`model "${model.name}": ${setting}.output is ${output} but ${why}; choose one of (${list})`);
    }
    const count = elementCount(chosen.shape);
    if (element >= count) {
      throw new ZkError(
        `model "${model.name}": ${setting}.element is ${element} but output ${output} [${chosen.shape.join(",")}] has ${count} element(s); choose 0..${count - 1}`,
      );
    }
    return { tensor: output + offset, element };
  }
  if (candidates.length === 1 && elementCount(candidates[0]!.shape) === 1) return { tensor: candidates[0]!.index + offset, element: 0 };
  if (candidates.length === 0) throw new ZkError(`model "${model.name}" has no output besides the bound address to read a score from`);
  const what = candidates.length === 1 ? "1 output with several values" : `${candidates.length} outputs`;
  throw new ZkError(`model "${model.name}" has ${what} that could be the score (${list}); set ${setting} = { output, element }`);
}
