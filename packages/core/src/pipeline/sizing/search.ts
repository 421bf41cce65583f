import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "../../errors.js";
import { runEzkl } from "../../ezkl/python.js";
import type { SizingCandidate, SizingRecord } from "../../manifest-schema.js";
import { readSettings } from "../../settings.js";
import { engineCompatibleLogrows } from "../../table-columns.js";
import {
  DECOMP_MARGIN_BITS,
  EZKL_DECOMP_BASE,
  EZKL_DECOMP_LEGS,
  INNER_COLS,
  MAX_LEGS,
  coveredBits,
  decompositionCandidates,
  range,
  type Decomposition,
} from "./candidates.js";
import { bestLayout, cheaper, estimateCost, type CostEstimate } from "./cost-model.js";
import { scaleWithinBudget, type ScaleProbe } from "./error-budget.js";
import { ezklMessage as message, measureError as accuracy, shapeOf, type SizingInputs } from "./measure.js";

export type { SizingCandidate, SizingRecord } from "../../manifest-schema.js";
export type { SizingInputs } from "./measure.js";

/**
 * ezkl's own calibration (gen_settings + calibrate_settings), raising the decomposition
 * legs when it fails as ezkl's own large examples do. Returns the attempts made.
 */
export async function calibrateWithEzkl(inputs: SizingInputs, file: string): Promise<string[]> {
  const { model, root } = inputs;
  const base = model.decompBase ?? EZKL_DECOMP_BASE;
  const legsToTry = model.decompLegs !== undefined ? [model.decompLegs] : range(EZKL_DECOMP_LEGS, MAX_LEGS);
  const attempts: string[] = [];
  const scales = model.inputScale !== undefined ? [model.inputScale] : undefined;
  for (const legs of legsToTry) {
    const runArgs = { ...inputs.runArgs, decomp_base: base, decomp_legs: legs };
    try {
      await runEzkl(root, "gen_settings", { model: model.onnx, settings: file, runArgs });
      await runEzkl(root, "calibrate", {
        data: model.calibrationData,
        model: model.onnx,
        settings: file,
        target: model.calibrationTarget,
        maxLogrows: model.maxLogrows,
        scales,
      });
      attempts.push(`decomp ${base}x${legs}: ok`);
      return attempts;
    } catch (e) {
      attempts.push(`decomp ${base}x${legs}: ${message(e)}`);
    }
  }
  const scaleText = scales ? `scale ${scales[0]}` : "ezkl's scale search";
  const fixes = [
    `raise zk.models.${model.name}.maxLogrows (now ${model.maxLogrows})`,
    ...(model.inputScale !== undefined ? ["lower inputScale/paramScale"] : []),
    ...(model.calibrationTarget !== "resources" ? ['use calibrationTarget "resources"'] : []),
    "or check that the calibration data is what the model expects",
  ];
  throw new ZkError(`model "${model.name}": calibration failed at ${scaleText} with ${attempts.join("; ")}; ${fixes.join(", ")}`);
}

/**
 * sizing "auto": keeps the scales ezkl's calibration chose (or the config's), so the
 * arithmetic and the outputs are ezkl's own, and searches the layout around them:
 * decomposition base and legs, num_inner_cols and logrows, for the smallest estimated
 * proving cost (cost-model.ts) with every table within 2 columns and the decomposition
 * covering twice the largest value the calibration data produces.
 *
 * With maxError, the scales are searched too (error-budget.ts): the layout search runs at
 * the cheapest scale whose error against onnxruntime stays within the budget, and every
 * layout is accepted up to the budget instead of up to ezkl's own error.
 */
export async function searchSizing(inputs: SizingInputs): Promise<SizingRecord> {
  const { model, root, log } = inputs;
  await mkdir(inputs.workDir, { recursive: true });
  const ezklFile = path.join(inputs.workDir, "ezkl.settings.json");
  const attempts = await calibrateWithEzkl(inputs, ezklFile);
  const ezklSettings = await readSettings(ezklFile);
  const ezklLogrows = engineCompatibleLogrows(ezklSettings);
  ezklSettings.run_args.logrows = ezklLogrows;
  await writeFile(ezklFile, JSON.stringify(ezklSettings));
  const ezklError = await accuracy(inputs, ezklFile);
  const ra = ezklSettings.run_args;
  const scales = { input: ra.input_scale, param: ra.param_scale, rebase: Number(ra.scale_rebase_multiplier ?? 1) };
  const ezklEstimate = estimateCost(shapeOf(ezklSettings), ezklLogrows);
  log(
    `[${model.name}] sizing: ezkl's calibration: scales ${scales.input}/${scales.param}, decomp ${ra.decomp_base}x${ra.decomp_legs}, ` +
      `logrows ${ezklLogrows}, ${ezklSettings.num_rows} rows, est. cost ${ezklEstimate.cost}, max abs error ${ezklError.toExponential(2)}`,
  );
  // The error a layout may reach: the budget, or (without one) ezkl's own.
  const errorLimit = model.maxError ?? ezklError;
  const limitName = model.maxError !== undefined ? "maxError" : "ezkl's";
  let budget: { maxError: number; scan: ScaleProbe[] } | undefined;
  if (model.maxError !== undefined) {
    if (ezklError > model.maxError) {
      throw new ZkError(
        `model "${model.name}": ezkl's own calibration (scales ${scales.input}/${scales.param}) already errs by ${ezklError.toExponential(2)} ` +
          `on the calibration data, above maxError ${model.maxError}; raise zk.models.${model.name}.maxError or remove it`,
      );
    }
    const choice = await scaleWithinBudget(inputs, ezklSettings, ezklError);
    budget = { maxError: model.maxError, scan: choice.scan };
    scales.input = choice.input;
    scales.param = choice.param;
    log(`[${model.name}] sizing: maxError ${model.maxError}: searching layouts at scales ${scales.input}/${scales.param}`);
  }
  const scaleList = scales.input === scales.param ? [scales.input] : [scales.input, scales.param];

  let decompBits: number | undefined;
  let decomps: Decomposition[];
  if (model.decompBase !== undefined || model.decompLegs !== undefined) {
    decomps = [{ decompBase: ra.decomp_base, decompLegs: ra.decomp_legs }];
    log(`[${model.name}] sizing: decomposition ${ra.decomp_base}x${ra.decomp_legs} set in the config`);
  } else {
    const bits = await runEzkl<number | null>(root, "decomp_bits", {
      model: model.onnx,
      data: model.calibrationData,
      runArgs: { ...inputs.runArgs, num_inner_cols: 2 },
      scales: scaleList,
      rebase: scales.rebase,
    });
    decompBits = bits ?? coveredBits({ decompBase: ra.decomp_base, decompLegs: ra.decomp_legs }) - DECOMP_MARGIN_BITS;
    decomps = decompositionCandidates(decompBits);
    log(
      `[${model.name}] sizing: decomposed values < 2^${decompBits} on the calibration data; ` +
        `bases/legs covering 2^${decompBits + DECOMP_MARGIN_BITS}: ${decomps.map((d) => `${d.decompBase}x${d.decompLegs}`).join(", ")}`,
    );
  }

  const candidates: SizingCandidate[] = decomps.flatMap((d) => INNER_COLS.map((numInnerCols) => ({ ...d, numInnerCols })));
  const files = candidates.map((_, i) => path.join(inputs.workDir, `candidate-${i}.settings.json`));
  const measured = await runEzkl<({ ok: true; numRows: number } | { ok: false; error: string })[]>(root, "size_candidates", {
    model: model.onnx,
    data: model.calibrationData,
    runArgs: inputs.runArgs,
    scales: scaleList,
    rebase: scales.rebase,
    candidates: candidates.map((c, i) => ({ ...c, settings: files[i] })),
  });
  const ranked: { index: number; estimate: CostEstimate }[] = [];
  for (const [i, c] of candidates.entries()) {
    const m = measured[i]!;
    if (!m.ok) {
      c.rejected = `calibration failed: ${m.error}`;
      continue;
    }
    const s = await readSettings(files[i]!);
    c.numRows = s.num_rows;
    if (s.run_args.input_scale !== scales.input || s.run_args.param_scale !== scales.param) {
      c.rejected = `calibration moved the scales to ${s.run_args.input_scale}/${s.run_args.param_scale}`;
      continue;
    }
    const est = bestLayout(shapeOf(s), model.maxLogrows);
    if (est === undefined) {
      c.rejected = `needs more than maxLogrows ${model.maxLogrows}`;
      continue;
    }
    c.estimate = est;
    ranked.push({ index: i, estimate: est });
  }
  ranked.sort((a, b) => (cheaper(a.estimate, b.estimate) ? -1 : cheaper(b.estimate, a.estimate) ? 1 : 0));
  for (const c of candidates) {
    log(
      `[${model.name}] sizing:   ${c.decompBase}x${c.decompLegs}, inner cols ${c.numInnerCols}: ` +
        (c.estimate
          ? `${c.numRows} rows, logrows ${c.estimate.logrows}, ${c.estimate.blocks} block(s), ${c.estimate.columns} columns, est. cost ${c.estimate.cost}`
          : `rejected (${c.rejected})`),
    );
  }

  for (const { index, estimate } of ranked) {
    const c = candidates[index]!;
    if (!cheaper(estimate, ezklEstimate) && estimate.logrows >= ezklLogrows) break;
    const s = await readSettings(files[index]!);
    s.run_args.logrows = estimate.logrows;
    await writeFile(files[index]!, JSON.stringify(s));
    const error = await accuracy(inputs, files[index]!);
    if (error > errorLimit) {
      c.rejected = `max abs error ${error} above ${limitName} ${errorLimit}`;
      continue;
    }
    await copyFile(files[index]!, inputs.settingsFile);
    const reason =
      `lowest estimated cost (${estimate.cost} vs ${ezklEstimate.cost} for ezkl's calibration at logrows ${ezklLogrows}), ` +
      `every table within 2 columns, decomposition covers 2^${coveredBits(c)} >= 2^${(decompBits ?? 0) + DECOMP_MARGIN_BITS}, ` +
      `max abs error ${error.toExponential(2)} <= ${limitName} ${errorLimit.toExponential(2)}` +
      (budget ? ` at scales ${scales.input}/${scales.param} (ezkl's ${ra.input_scale}/${ra.param_scale})` : "");
    log(
      `[${model.name}] sizing: chose ${c.decompBase}x${c.decompLegs}, inner cols ${c.numInnerCols}, logrows ${estimate.logrows}: ${reason}`,
    );
    return {
      mode: "auto",
      chosen: {
        decompBase: c.decompBase,
        decompLegs: c.decompLegs,
        numInnerCols: c.numInnerCols,
        logrows: estimate.logrows,
        numRows: c.numRows!,
        estimatedCost: estimate.cost,
      },
      ezkl: {
        decompBase: ra.decomp_base,
        decompLegs: ra.decomp_legs,
        logrows: ezklLogrows,
        numRows: ezklSettings.num_rows,
        estimatedCost: ezklEstimate.cost,
        maxAbsError: ezklError,
      },
      maxAbsError: error,
      scales,
      budget,
      decompBits,
      marginBits: DECOMP_MARGIN_BITS,
      candidates,
      attempts,
      reason,
    };
  }
  // Nothing beat ezkl's own calibration: keep it.
  await copyFile(ezklFile, inputs.settingsFile);
  const reason = `no candidate beat ezkl's calibration (est. cost ${ezklEstimate.cost}, logrows ${ezklLogrows}) with equal accuracy`;
  log(`[${model.name}] sizing: kept ezkl's calibration: ${reason}`);
  return {
    mode: "auto",
    chosen: {
      decompBase: ra.decomp_base,
      decompLegs: ra.decomp_legs,
      numInnerCols: Number(ra.num_inner_cols ?? 2),
      logrows: ezklLogrows,
      numRows: ezklSettings.num_rows,
      estimatedCost: ezklEstimate.cost,
    },
    ezkl: {
      decompBase: ra.decomp_base,
      decompLegs: ra.decomp_legs,
      logrows: ezklLogrows,
      numRows: ezklSettings.num_rows,
      estimatedCost: ezklEstimate.cost,
      maxAbsError: ezklError,
    },
    maxAbsError: ezklError,
    scales: { input: ra.input_scale, param: ra.param_scale, rebase: scales.rebase },
    budget,
    decompBits,
    marginBits: DECOMP_MARGIN_BITS,
    candidates,
    attempts,
    reason,
  };
}
