import { readFile } from "node:fs/promises";
/** The parts of ezkl 21's settings.json this project reads. */
export interface EzklSettings {
  run_args: {
    input_scale: number;
    param_scale: number;
    logrows: number;
    lookup_range: [number, number];
    input_visibility: unknown;
    output_visibility: unknown;
    param_visibility: unknown;
    decomp_base: number;
    decomp_legs: number;
    ignore_range_check_inputs_outputs: boolean;
    [key: string]: unknown;
  };
  num_rows: number;
  total_assignments: number;
  model_instance_shapes: number[][];
  model_input_scales: number[];
  model_output_scales: number[];
  required_lookups: unknown[];
  required_range_checks: [number, number][];
  version: string;
  [key: string]: unknown;
}

/** ezkl writes visibilities as "Public" / "Private" / "Fixed" or {"Hashed": ...}. */
export function visibilityName(v: unknown): string {
  if (typeof v === "string") return v.toLowerCase();
  if (v !== null && typeof v === "object") return Object.keys(v)[0]!.toLowerCase();
  return String(v);
}

/** A settings.json as ezkl wrote it. */
export async function readSettings(file: string): Promise<EzklSettings> {
  return JSON.parse(await readFile(file, "utf8")) as EzklSettings;
}
