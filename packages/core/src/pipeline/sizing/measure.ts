import type { ZkModelConfig } from "../../config-types.js";
import { runEzkl } from "../../ezkl/python.js";
import type { EzklSettings } from "../../settings.js";
import { elementCount } from "../../shapes.js";
import type { CandidateShape } from "./cost-model.js";

/** What every sizing step needs: the model, where settings go, the run args the config fixes. */
export interface SizingInputs {
  root: string;
  model: ZkModelConfig;
  /** Where the chosen settings.json goes. */
  settingsFile: string;
  /** Scratch folder for candidate settings. */
  workDir: string;
  runArgs: Record<string, unknown>;
  log: (line: string) => void;
}

/** ezkl's one-line error without the bridge's prefix. */
export const ezklMessage = (e: unknown) => (e as Error).message.replace(/^ezkl \w+ failed: /, "");

/** What the cost model reads from a calibrated settings.json. */
export function shapeOf(s: EzklSettings): CandidateShape {
  return {
    numRows: s.num_rows,
    numInnerCols: Number(s.run_args.num_inner_cols ?? 2),
    totalConstSize: Number(s.total_const_size ?? 0),
    instances: s.model_instance_shapes.reduce((n, sh) => n + elementCount(sh), 0),
    lookupRange: s.run_args.lookup_range,
    requiredLookups: s.required_lookups.length,
    requiredRangeChecks: s.required_range_checks,
  };
}

/**
 * Max abs error of the circuit's outputs (the witness, through ezkl gen-witness) against
 * onnxruntime, over every sample of the calibration data. A bound address is not a score.
 */
export async function measureError(inputs: SizingInputs, settings: string): Promise<number> {
  const skip = inputs.model.boundAddress !== undefined ? [inputs.model.boundAddress.output] : [];
  const r = await runEzkl<{ maxAbsError: number }>(inputs.root, "calibration_accuracy", {
    model: inputs.model.onnx,
    data: inputs.model.calibrationData,
    settings,
    workdir: inputs.workDir,
    skipOutputs: skip,
  });
  return r.maxAbsError;
}
