import type { EzklSettings } from "./settings.js";

/**
 * ezkl spreads each lookup table and range check over ceil(range / column size)
 * columns and, with 3 or more, builds the column selector with a parallel reduce
 * whose expression shape depends on the thread layout. Native ezkl (threaded) and
 * the WASM engine (single-threaded) then derive different verifying-key digests,
 * and neither accepts the other's proofs nor does the generated Solidity verifier
 * accept the engine's. With at most 2 columns the shape is fixed and proofs agree.
 * Measured on ezkl 21.0.3 vs engine 21.0.0: 2 columns cross-verify, 3, 5, 9, 17 do not.
 */
export const MAX_ENGINE_COMPATIBLE_COLUMNS = 2;

/** halo2 blinding rows plus ezkl's pad (ezkl reserves about 9); generous so the estimate never undercounts. */
export const RESERVED_ROWS = 16;

/** Rows of one column at `logrows` that a table or the circuit can use. */
export function usableRows(logrows: number): number {
  return 2 ** logrows - RESERVED_ROWS;
}

/** Columns a table of this many entries spans at this logrows (as ezkl's num_cols_required). */
export function tableColumnsFor(rangeLength: number, logrows: number): number {
  return Math.floor(rangeLength / usableRows(logrows)) + 1;
}

/** Widest table (in columns) the circuit would use at the given logrows. */
export function widestTableColumns(settings: EzklSettings, logrows: number): number {
  const lengths = settings.required_range_checks.map(([lo, hi]) => Math.abs(hi - lo));
  if (settings.required_lookups.length > 0) {
    const [lo, hi] = settings.run_args.lookup_range;
    lengths.push(Math.abs(hi - lo));
  }
  return Math.max(1, ...lengths.map((len) => tableColumnsFor(len, logrows)));
}

/** The smallest logrows >= the calibrated one at which every table fits the engine rule. */
export function engineCompatibleLogrows(settings: EzklSettings): number {
  let logrows = settings.run_args.logrows;
  while (widestTableColumns(settings, logrows) > MAX_ENGINE_COMPATIBLE_COLUMNS) logrows++;
  return logrows;
}
