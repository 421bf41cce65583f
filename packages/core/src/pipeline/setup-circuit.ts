import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { assertPinnedEzkl } from "../ezkl/installed-version.js";
import { runEzkl } from "../ezkl/python.js";
import { sha256File } from "../hash.js";
import { keysIdentity, type InstanceSlot, type Manifest } from "../manifest.js";
import { readSettings, visibilityName, type EzklSettings } from "../settings.js";
import { assertCeremonySrsFits } from "../srs-file.js";
import { engineCompatibleLogrows, widestTableColumns } from "../table-columns.js";
import { modelArtifacts } from "../artifacts.js";
import { boundGraphFiles, builtModel, writeBoundGraph } from "./bound-graph.js";
import { ModelBuild, type BuildContext } from "./context.js";
import { inputCommitmentRecord } from "../input-commitment.js";
import { calibrateWithEzkl, searchSizing, type SizingRecord } from "./sizing/search.js";
import { elementCount, readCalibrationData, readOnnxIo } from "./validate-inputs.js";

export interface SetupResult {
  model: string;
  manifest: Manifest;
  /** Steps that ran (the rest were up to date). */
  ran: string[];
  /** Keys existed and were replaced: earlier proofs and deployed verifiers no longer match. */
  keysReplaced: boolean;
}

function runArgsOf(model: ZkModelConfig) {
  return {
    input_visibility: model.input,
    output_visibility: model.output,
    param_visibility: model.param,
    ignore_range_check_inputs_outputs: model.ignoreRangeCheckInputsOutputs,
    ...(model.decompBase !== undefined ? { decomp_base: model.decompBase } : {}),
    ...(model.decompLegs !== undefined ? { decomp_legs: model.decompLegs } : {}),
    ...(model.inputScale !== undefined ? { input_scale: model.inputScale } : {}),
    ...(model.paramScale !== undefined ? { param_scale: model.paramScale } : {}),
  };
}

export { readSettings };

/** What a user must redo after the keys were replaced. */
export function staleKeysNotice(model: string): string {
  return `[${model}] new keys: proofs made before and verifiers deployed before are now stale; run \`npx hardhat zk verifier --model ${model}\`, redeploy with \`npx hardhat zk deploy\`, and prove again`;
}

/** Public instances in ezkl's order: public inputs first, then public outputs, flattened. */
export function instanceLayout(settings: EzklSettings): InstanceSlot[] {
  const slots: InstanceSlot[] = [];
  const shapes = settings.model_instance_shapes;
  let shapeIndex = 0;
  const add = (source: "input" | "output", scales: number[], visible: boolean) => {
    if (!visible) return;
    scales.forEach((scale, tensor) => {
      const count = elementCount(shapes[shapeIndex++] ?? []);
      for (let element = 0; element < count; element++) {
        slots.push({ index: slots.length, source, tensor, element, scale });
      }
    });
  };
  if (visibilityName(settings.run_args.input_visibility) === "hashed") {
    settings.model_input_scales.forEach((_, tensor) =>
      slots.push({ index: slots.length, source: "inputHash", tensor, element: 0, scale: 0 }),
    );
  }
  add("input", settings.model_input_scales, visibilityName(settings.run_args.input_visibility) === "public");
  add("output", settings.model_output_scales, visibilityName(settings.run_args.output_visibility) === "public");
  return slots;
}

async function calibrate(build: ModelBuild): Promise<void> {
  const { model, paths, ctx } = build;
  await mkdir(paths.dir, { recursive: true });
  const sizingInputs = {
    root: ctx.root,
    model,
    settingsFile: paths.settings,
    workDir: path.join(paths.dir, "sizing"),
    runArgs: runArgsOf(model),
    log: ctx.log,
  };
  let sizing: SizingRecord | undefined;
  let attempts: string[] = [];
  if (model.sizing === "auto") {
    sizing = await searchSizing(sizingInputs);
  } else {
    attempts = await calibrateWithEzkl(sizingInputs, paths.settings);
    if (attempts.length > 1) ctx.log(`[${model.name}] calibration: ${attempts.join("; ")}`);
  }
  await rm(sizingInputs.workDir, { recursive: true, force: true });
  const settings = await readSettings(paths.settings);
  const calibrated = settings.run_args.logrows;
  const logrows = engineCompatibleLogrows(settings);
  if (logrows > model.maxLogrows) {
    throw new ZkError(
      `model "${model.name}": the WASM prover needs logrows ${logrows} (lookup tables of at most 2 columns) but maxLogrows is ${model.maxLogrows}; ` +
        `raise zk.models.${model.name}.maxLogrows or lower decompBase`,
    );
  }
  if (sizing === undefined) {
    sizing = {
      mode: "ezkl",
      scales: {
        input: settings.run_args.input_scale,
        param: settings.run_args.param_scale,
        rebase: Number(settings.run_args.scale_rebase_multiplier ?? 1),
      },
      chosen: {
        decompBase: settings.run_args.decomp_base,
        decompLegs: settings.run_args.decomp_legs,
        numInnerCols: Number(settings.run_args.num_inner_cols ?? 2),
        logrows,
        numRows: settings.num_rows,
      },
      marginBits: 0,
      candidates: [],
      attempts,
      reason: 'sizing: "ezkl" (ezkl\'s own calibration)',
    };
  }
  build.manifest.sizing = sizing;
  if (logrows !== calibrated) {
    ctx.log(`[${model.name}] settings: logrows ${calibrated} -> ${logrows} so every lookup table fits 2 columns (WASM/native agreement)`);
    settings.run_args.logrows = logrows;
    await writeFile(paths.settings, JSON.stringify(settings));
  }
  build.manifest.circuit = {
    logrows,
    calibratedLogrows: calibrated,
    numRows: settings.num_rows,
    numInnerCols: Number(settings.run_args.num_inner_cols ?? 2),
    widestTableColumns: widestTableColumns(settings, logrows),
    inputScales: settings.model_input_scales,
    outputScales: settings.model_output_scales,
    visibility: {
      input: visibilityName(settings.run_args.input_visibility),
      output: visibilityName(settings.run_args.output_visibility),
      param: visibilityName(settings.run_args.param_visibility),
    },
  };
  build.manifest.instances = instanceLayout(settings);
}

/**
 * settings -> calibrate -> compile -> SRS -> keys for one model, each step redone only
 * when its inputs changed (or with ctx.force). Progress and timings go to ctx.log.
 */
export async function setupCircuit(model: ZkModelConfig, ctx: BuildContext): Promise<SetupResult> {
  await assertPinnedEzkl(ctx.root);
  const userModel = model;
  const bound = boundGraphFiles(modelArtifacts(ctx.artifactsDir, model.name).dir);
  // boundAddress: true builds from a copy of the user's graph with the key added.
  if (model.boundAddress?.added) model = builtModel(model, bound);
  const build = await ModelBuild.open(model, ctx);
  const { paths } = build;
  const ran: string[] = [];
  const previousKeys = keysIdentity(build.manifest);

  const userIo = await readOnnxIo(ctx.root, userModel);
  await readCalibrationData(userModel, userIo);
  if (model !== userModel) {
    const from = { onnx: await sha256File(userModel.onnx), calibrationData: await sha256File(userModel.calibrationData) };
    if (
      await build.step("bindAddress", { ...from, version: 1 }, [bound.onnx, bound.calibrationData], () =>
        writeBoundGraph(ctx.root, userModel, userIo, bound),
      )
    )
      ran.push("bindAddress");
    build.manifest.boundAddress = {
      input: model.boundAddress!.input,
      output: model.boundAddress!.output,
      rewritten: { from, onnx: build.rel(bound.onnx), sha256: await build.recordedHash("bindAddress", bound.onnx) },
    };
  } else if (model.boundAddress !== undefined) {
    build.manifest.boundAddress = { input: model.boundAddress.input, output: model.boundAddress.output };
  } else {
    delete build.manifest.boundAddress;
  }
  const io = model === userModel ? userIo : await readOnnxIo(ctx.root, model);
  build.manifest.io = io;
  const onnxHash = await sha256File(model.onnx);
  const dataHash = await sha256File(model.calibrationData);

  const settingsInputs = {
    onnx: onnxHash,
    data: dataHash,
    runArgs: runArgsOf(model),
    target: model.calibrationTarget,
    maxLogrows: model.maxLogrows,
    engineRule: 2,
    sizing: model.sizing,
    ...(model.maxError !== undefined ? { maxError: model.maxError } : {}),
    sizingVersion: 3,
  };
  if (await build.step("settings", settingsInputs, [paths.settings], () => calibrate(build))) ran.push("settings");
  const settingsHash = await build.recordedHash("settings", paths.settings);
  const settings = await readSettings(paths.settings);
  const logrows = settings.run_args.logrows;

  if (
    await build.step("compile", { onnx: onnxHash, settings: settingsHash }, [paths.compiled], () =>
      runEzkl(ctx.root, "compile_circuit", { model: model.onnx, compiled: paths.compiled, settings: paths.settings }).then(() => undefined),
    )
  )
    ran.push("compile");
  const compiledHash = await build.recordedHash("compile", paths.compiled);

  const srsSource = model.srs;
  const srsInputs =
    srsSource.kind === "dev"
      ? { kind: "dev", logrows }
      : {
          kind: "ceremony",
          sha256: await sha256File(srsSource.path).catch(() => {
            throw new ZkError(`model "${model.name}": ceremony SRS ${srsSource.path} not found; fix zk.models.${model.name}.srs.path`);
          }),
          k: await assertCeremonySrsFits(model.name, srsSource.path, logrows),
        };
  if (
    await build.step("srs", srsInputs, [paths.srs], async () => {
      if (srsSource.kind === "dev") {
        await runEzkl(ctx.root, "gen_srs", { srs: paths.srs, logrows });
      } else {
        await copyFile(srsSource.path, paths.srs);
      }
    })
  )
    ran.push("srs");
  const srsHash = await build.recordedHash("srs", paths.srs);
  build.manifest.srs = {
    source: srsSource.kind,
    insecure: srsSource.kind === "dev",
    logrows,
    file: build.rel(paths.srs),
    sha256: srsHash,
    ...(srsSource.kind === "ceremony" ? { origin: build.rel(srsSource.path) } : {}),
  };

  if (
    await build.step("keys", { compiled: compiledHash, srs: srsHash }, [paths.vk, paths.pk], async () => {
      try {
        await runEzkl(ctx.root, "setup", { compiled: paths.compiled, vk: paths.vk, pk: paths.pk, srs: paths.srs });
      } catch (e) {
        if (srsSource.kind === "ceremony") {
          throw new ZkError(
            `model "${model.name}": key generation failed with the ceremony SRS (${(e as Error).message}); it must hold at least 2^${logrows} points`,
          );
        }
        throw e;
      }
    })
  )
    ran.push("keys");
  build.manifest.inputCommitment = inputCommitmentRecord(
    settings,
    io.inputs.map((i) => elementCount(i.shape)),
    {
      vk: await readFile(paths.vk),
      settings: await readFile(paths.settings),
      srs: await readFile(paths.srs),
    },
  );
  await build.save();
  const keysReplaced = previousKeys !== "" && previousKeys !== keysIdentity(build.manifest);
  return { model: model.name, manifest: build.manifest, ran, keysReplaced };
}
