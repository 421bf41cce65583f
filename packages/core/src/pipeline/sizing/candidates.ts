/**
 * Decomposition candidates. ezkl writes each decomposed value as sign x digits in base
 * `decompBase` with `decompLegs` digits, so it covers |x| <= base^legs - 1, and every
 * digit is range-checked against a table of `base` entries. Smaller bases mean smaller
 * tables (lower logrows) but more digits per value (more rows): the search measures both.
 */

/**
 * Headroom over the largest decomposed value seen in calibration: 2^2 = four times, twice
 * ezkl's lookup safety margin, so an unusual input more often meets the lookup check (a
 * clear message after witness generation) than the decomposition (which the engine
 * reports only as a synthesis error).
 */
export const DECOMP_MARGIN_BITS = 2;
/** ezkl's default, and the largest base the search tries. */
export const EZKL_DECOMP_BASE = 16384;
export const EZKL_DECOMP_LEGS = 2;
/** Legs tried: ezkl's own large examples (self-attention) run with 5. */
export const MIN_LEGS = 2;
export const MAX_LEGS = 5;
/**
 * num_inner_cols tried. 4 is left out on measurement (bench/inner-cols.md): the
 * tutorial-size voiceJudge fits logrows 16 with 4 inner columns (same outputs) but
 * proves natively in 41.1 s against 30.3 s at logrows 17 with 2, with a 828 MB proving
 * key against 672 MB: the per-column lookup arguments cost more than the cell count in
 * cost-model.ts shows.
 */
export const INNER_COLS = [1, 2] as const;

export interface Decomposition {
  decompBase: number;
  decompLegs: number;
}

/** Bits the decomposition must cover: the calibration maximum (< 2^neededBits) plus the margin. */
export function coveredBits(d: Decomposition): number {
  return Math.floor(d.decompLegs * Math.log2(d.decompBase));
}

/**
 * For each leg count, the smallest power-of-two base whose range covers `neededBits`
 * plus the margin (never below 2^4, never above ezkl's default).
 */
export function decompositionCandidates(neededBits: number, legs: number[] = range(MIN_LEGS, MAX_LEGS)): Decomposition[] {
  const want = neededBits + DECOMP_MARGIN_BITS;
  const out: Decomposition[] = [];
  for (const decompLegs of legs) {
    const baseBits = Math.max(4, Math.ceil(want / decompLegs));
    const decompBase = 2 ** baseBits;
    if (decompBase > EZKL_DECOMP_BASE) continue;
    // The same base with more legs only adds rows.
    if (out.some((c) => c.decompBase === decompBase)) continue;
    out.push({ decompBase, decompLegs });
  }
  return out;
}

export function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
