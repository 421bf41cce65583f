import { ZkError } from "../errors.js";
import type { EzklSettings } from "../settings.js";

interface WitnessRanges {
  max_lookup_inputs: number;
  min_lookup_inputs: number;
}

/**
 * ezkl proves in "unsafe" check mode: a witness whose lookup inputs fall outside the
 * calibrated lookup range yields a proof that no verifier accepts. Catch it before
 * proving and say how to fix the calibration.
 */
export function assertWitnessInRange(model: string, witnessJson: Uint8Array, settings: EzklSettings): void {
  if (settings.required_lookups.length === 0) return;
  const w = JSON.parse(new TextDecoder().decode(witnessJson)) as WitnessRanges;
  const [lo, hi] = settings.run_args.lookup_range;
  if (w.min_lookup_inputs < lo || w.max_lookup_inputs > hi) {
    throw new ZkError(
      `model "${model}": this input drives a lookup to ${w.min_lookup_inputs}..${w.max_lookup_inputs}, outside the calibrated range ${lo}..${hi}, ` +
        `so no verifier would accept the proof; add inputs like it to the calibration data and rerun \`npx hardhat zk setup\``,
    );
  }
}
