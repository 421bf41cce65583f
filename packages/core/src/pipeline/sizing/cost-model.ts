import { MAX_ENGINE_COMPATIBLE_COLUMNS, RESERVED_ROWS, tableColumnsFor, usableRows } from "../../table-columns.js";

export { RESERVED_ROWS, tableColumnsFor, usableRows };

/**
 * The sizing cost model. Halo2's prover work (FFTs and commitments) grows with the
 * number of polynomials times their length 2^logrows, so the estimate counts cells:
 *
 *   cost = 2^logrows x (blocks x innerCols x (3 + 2 x tables) + tableColumns)
 *
 * ezkl lays the model out in `innerCols` advice columns per block, with two inputs and
 * one output per column (the 3); every lookup and range check adds a lookup argument
 * per advice column (about 2 polynomials each: multiplicities and the running sum); each
 * table spans `tableColumns` fixed columns. Rows that do not fit one column of 2^logrows
 * spread over more blocks. Ties go to fewer columns (smaller proof, cheaper verifier).
 */

/** ezkl's floor on logrows (graph::MIN_LOGROWS). */
export const MIN_LOGROWS = 6;

/** What one calibrated candidate layout needs, as ezkl's settings report it. */
export interface CandidateShape {
  numRows: number;
  numInnerCols: number;
  totalConstSize: number;
  /** Public instances (each needs a row). */
  instances: number;
  /** Lookup range [lo, hi] (only when the model has lookups). */
  lookupRange?: [number, number];
  requiredLookups: number;
  requiredRangeChecks: [number, number][];
}

export interface CostEstimate {
  logrows: number;
  blocks: number;
  tableColumns: number;
  columns: number;
  cost: number;
}

function tableLengths(shape: CandidateShape): number[] {
  const lengths = shape.requiredRangeChecks.map(([lo, hi]) => Math.abs(hi - lo));
  if (shape.requiredLookups > 0 && shape.lookupRange) lengths.push(Math.abs(shape.lookupRange[1] - shape.lookupRange[0]));
  return lengths;
}

/** Smallest logrows at which every table fits the engine rule and instances and constants fit. */
export function minLogrows(shape: CandidateShape): number {
  let k = MIN_LOGROWS;
  const fits = (k: number) =>
    tableLengths(shape).every((len) => tableColumnsFor(len, k) <= MAX_ENGINE_COMPATIBLE_COLUMNS) &&
    usableRows(k) >= shape.instances &&
    usableRows(k) >= Math.ceil(shape.totalConstSize / shape.numInnerCols);
  while (!fits(k)) k++;
  return k;
}

/** Logrows at which the model's rows fit one block (no spreading). */
export function singleBlockLogrows(shape: CandidateShape): number {
  let k = minLogrows(shape);
  while (usableRows(k) < shape.numRows) k++;
  return k;
}

export function estimateCost(shape: CandidateShape, logrows: number): CostEstimate {
  const blocks = Math.max(1, Math.ceil(shape.numRows / usableRows(logrows)));
  const lengths = tableLengths(shape);
  const tableColumns = lengths.reduce((n, len) => n + tableColumnsFor(len, logrows), 0);
  const perInnerColumn = 3 + 2 * lengths.length;
  const columns = blocks * shape.numInnerCols * perInnerColumn + tableColumns;
  return { logrows, blocks, tableColumns, columns, cost: 2 ** logrows * columns };
}

/**
 * The layout for a candidate: the smallest logrows at which its rows fit one block and
 * every table fits 2 columns. Spreading rows over more blocks at a lower logrows costs
 * about the same cells in this model but measured slower (voiceJudgeSmall, native:
 * logrows 10 over 2 blocks 1.06 s vs logrows 11 in one block 0.76 s) and adds verifier
 * columns, so the search reaches lower logrows through num_inner_cols instead.
 */
export function bestLayout(shape: CandidateShape, maxLogrows: number): CostEstimate | undefined {
  const k = singleBlockLogrows(shape);
  return k <= maxLogrows ? estimateCost(shape, k) : undefined;
}

export function cheaper(a: CostEstimate, b: CostEstimate): boolean {
  return a.cost !== b.cost ? a.cost < b.cost : a.columns < b.columns;
}
