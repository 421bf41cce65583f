import path from "node:path";
import { runEzkl } from "../../ezkl/python.js";
import type { ScaleProbe } from "../../manifest-schema.js";
import { readSettings, type EzklSettings } from "../../settings.js";
import { bestLayout } from "./cost-model.js";
import { measureError, shapeOf, type SizingInputs } from "./measure.js";

/** Lowest fixed-point scale (bits) the budget scan tries. */
export const MIN_SCALE = 1;
/** No cap on logrows while probing a scale: the layout search applies maxLogrows afterwards. */
const PROBE_MAX_LOGROWS = 26;

export type { ScaleProbe };

export interface ScaleChoice {
  input: number;
  param: number;
  scan: ScaleProbe[];
}

/**
 * A scale's cost as the layout search will see it, leaving out the decomposition's digit
 * table (the search picks that afterwards, at the chosen scale): the lookup tables and the
 * rows, which is what a lower scale shrinks.
 */
export function probeCost(s: EzklSettings): { logrows: number; estimatedCost: number } {
  const digits = s.run_args.decomp_base - 1;
  const shape = shapeOf(s);
  shape.requiredRangeChecks = shape.requiredRangeChecks.filter(([lo, hi]) => !(lo === 0 && hi === digits));
  const est = bestLayout(shape, PROBE_MAX_LOGROWS)!;
  return { logrows: est.logrows, estimatedCost: est.cost };
}

/**
 * The cheapest probe within the budget; equal costs go to the higher scale (less error).
 * Probes are in scan order, highest scale first.
 */
export function cheapestWithinBudget(scan: ScaleProbe[], maxError: number): ScaleProbe | undefined {
  let best: ScaleProbe | undefined;
  for (const p of scan) {
    if (p.rejected !== undefined || p.maxAbsError === undefined || p.maxAbsError > maxError || p.estimatedCost === undefined) continue;
    if (best === undefined || p.estimatedCost < best.estimatedCost!) best = p;
  }
  return best;
}

/**
 * maxError: lowers input and param scale together, one bit at a time from ezkl's own, each
 * calibrated by ezkl at ezkl's decomposition and measured against onnxruntime, until the
 * error leaves the budget (or calibration fails); returns the cheapest scale within it.
 * Lookup ranges shrink with the scale (ezkl's 2x safety margin over the calibration data is kept:
 * it guards inputs beyond the calibration data, not accuracy). ezkl's rebase multiplier is kept:
 * on xgboost, 1 instead of ezkl's 10 gave the same lookup ranges and similar errors with 3% more rows.
 */
export async function scaleWithinBudget(inputs: SizingInputs, ezklSettings: EzklSettings, ezklError: number): Promise<ScaleChoice> {
  const { model, root, log } = inputs;
  const maxError = model.maxError!;
  const ra = ezklSettings.run_args;
  const rebase = Number(ra.scale_rebase_multiplier ?? 1);
  const scan: ScaleProbe[] = [{ input: ra.input_scale, param: ra.param_scale, maxAbsError: ezklError, ...probeCost(ezklSettings) }];
  for (let drop = 1; Math.min(ra.input_scale, ra.param_scale) - drop >= MIN_SCALE; drop++) {
    const probe: ScaleProbe = { input: ra.input_scale - drop, param: ra.param_scale - drop };
    scan.push(probe);
    const file = path.join(inputs.workDir, `scale-${probe.input}-${probe.param}.settings.json`);
    const [result] = await runEzkl<({ ok: true } | { ok: false; error: string })[]>(root, "size_candidates", {
      model: model.onnx,
      data: model.calibrationData,
      runArgs: inputs.runArgs,
      scales: [...new Set([probe.input, probe.param])],
      rebase,
      maxLogrows: PROBE_MAX_LOGROWS,
      candidates: [
        { decompBase: ra.decomp_base, decompLegs: ra.decomp_legs, numInnerCols: Number(ra.num_inner_cols ?? 2), settings: file },
      ],
    });
    if (!result!.ok) {
      probe.rejected = `calibration failed: ${result!.error}`;
      break;
    }
    const s = await readSettings(file);
    if (s.run_args.input_scale !== probe.input || s.run_args.param_scale !== probe.param) {
      probe.rejected = `calibration moved the scales to ${s.run_args.input_scale}/${s.run_args.param_scale}`;
      continue;
    }
    Object.assign(probe, probeCost(s), { maxAbsError: await measureError(inputs, file) });
    log(
      `[${model.name}] sizing: scale ${probe.input}/${probe.param}: max abs error ${probe.maxAbsError!.toExponential(2)}, ` +
        `logrows ${probe.logrows} before the decomposition`,
    );
    if (probe.maxAbsError! > maxError) {
      probe.rejected = `max abs error ${probe.maxAbsError!.toExponential(2)} above maxError ${maxError}`;
      break;
    }
  }
  const best = cheapestWithinBudget(scan, maxError)!;
  return { input: best.input, param: best.param, scan };
}
