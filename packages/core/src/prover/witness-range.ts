import { ZkError } from "../errors.js";
import { FIELD_MODULUS } from "../felt.js";
import type { EzklSettings } from "../settings.js";

interface WitnessRanges {
  max_lookup_inputs: number;
  min_lookup_inputs: number;
  inputs?: string[][];
  outputs?: string[][];
}

const SETUP_FIX = "add inputs like it to the calibration data and rerun `npx hardhat zk setup`";

/** Largest magnitude ezkl's decomposition represents: base^legs - 1. */
export function decompositionLimit(settings: EzklSettings): bigint {
  return BigInt(settings.run_args.decomp_base) ** BigInt(settings.run_args.decomp_legs) - 1n;
}

/** ezkl's felt JSON (64 hex chars, little-endian) as a signed integer (x > r/2 is negative). */
function signedFelt(felt: string): bigint {
  const v = BigInt("0x" + (felt.match(/../g) ?? []).reverse().join(""));
  return v > FIELD_MODULUS / 2n ? v - FIELD_MODULUS : v;
}

/**
 * ezkl proves in "unsafe" check mode: a witness whose lookup inputs fall outside the
 * calibrated lookup range, or whose range-checked inputs/outputs exceed the
 * decomposition range (base^legs), yields a proof that no verifier accepts. Catch it
 * before proving and say how to fix the calibration.
 */
export function assertWitnessInRange(model: string, witnessJson: Uint8Array, settings: EzklSettings): void {
  const w = JSON.parse(new TextDecoder().decode(witnessJson)) as WitnessRanges;
  if (settings.required_lookups.length > 0) {
    const [lo, hi] = settings.run_args.lookup_range;
    if (w.min_lookup_inputs < lo || w.max_lookup_inputs > hi) {
      throw new ZkError(
        `model "${model}": this input drives a lookup to ${w.min_lookup_inputs}..${w.max_lookup_inputs}, outside the calibrated range ${lo}..${hi}, ` +
          `so no verifier would accept the proof; ${SETUP_FIX}`,
      );
    }
  }
  if (settings.run_args.ignore_range_check_inputs_outputs) return;
  const limit = decompositionLimit(settings);
  for (const [side, tensors] of [
    ["input", w.inputs],
    ["output", w.outputs],
  ] as const) {
    for (const felts of tensors ?? []) {
      for (const felt of felts) {
        const v = signedFelt(felt);
        if (v > limit || -v > limit) throw decompositionError(model, settings, `${side} value ${v}`);
      }
    }
  }
}

function decompositionError(model: string, settings: EzklSettings, what: string): ZkError {
  const { decomp_base: base, decomp_legs: legs } = settings.run_args;
  return new ZkError(
    `model "${model}": this input's ${what} is outside the decomposition range +-(${base}^${legs} - 1) the circuit was sized for, ` +
      `so no verifier would accept a proof; ${SETUP_FIX} (or set zk.models.${model}.decompLegs higher)`,
  );
}

/**
 * Witness generation refuses a value beyond base^legs (ezkl's DecompositionError::TooLarge;
 * the engine reports it only as a halo2 synthesis error): say why and how to fix it.
 */
export function explainWitnessFailure(model: string, settings: EzklSettings, error: unknown): ZkError | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const value = /integer (-?\d+) is too large/.exec(text)?.[1];
  if (value !== undefined) return decompositionError(model, settings, `value ${value}`);
  if (!/synthesis error/i.test(text)) return undefined;
  const {
    decomp_base: base,
    decomp_legs: legs,
    lookup_range: [lo, hi],
  } = settings.run_args;
  const lookups = settings.required_lookups.length > 0 ? `, lookups ${lo}..${hi}` : "";
  return new ZkError(
    `model "${model}": this input drives a value outside the ranges the circuit was sized for on its calibration data ` +
      `(decomposition +-(${base}^${legs} - 1)${lookups}), so no proof can be made; ${SETUP_FIX}`,
  );
}
