/**
 * A model that binds the prover's address: the ONNX input that takes the address (or a
 * domain-bound key) and the output that returns it as a public instance.
 */
export interface BoundAddress {
  input: number;
  output: number;
  /** true: the build added the key to a copy of the user's graph (`boundAddress: true`). */
  added?: boolean;
}

/** What an instance slot says about where it comes from (manifest slots and decoded instances alike). */
interface Slot {
  source: string;
  tensor: number;
  element?: number;
}

/** The score's place among the built graph's outputs (from `scoreOutput` in reward/score.ts). */
export interface ScorePlace {
  tensor: number;
  element: number;
}

/** The items of the inputs besides the bound-address one: what a caller supplies (the key is filled in at proving time). */
export function besidesBoundInput<T>(items: readonly T[], bound: BoundAddress | undefined): T[] {
  return items.filter((_, i) => i !== bound?.input);
}

/**
 * Input arrays as a client sends them, like ezkl's input JSON: every ONNX input with a
 * placeholder at the bound-address one (the placeholder is dropped), or only the
 * `besidesKey` inputs (returned as they are).
 */
export function stripBoundPlaceholder<T>(rows: readonly T[], bound: BoundAddress | undefined, besidesKey: number): T[] {
  return bound !== undefined && rows.length === besidesKey + 1 ? besidesBoundInput(rows, bound) : [...rows];
}

/** Whether `slot` is the public output that carries the bound address. */
export function isBoundOutput(slot: Slot, bound: BoundAddress | undefined): boolean {
  return bound !== undefined && slot.source === "output" && slot.tensor === bound.output;
}

/** The public instance at the score's place (undefined when that output is not public). */
export function scoreSlot<S extends Slot>(slots: readonly S[], score: ScorePlace): S | undefined {
  return slots.find((s) => s.source === "output" && s.tensor === score.tensor && s.element === score.element);
}

/** A judge model: it binds the prover's address and makes an output besides it public, so JudgmentReward can pay it. */
export function isJudgeModel(slots: readonly Slot[], bound: BoundAddress | undefined): boolean {
  return bound !== undefined && slots.some((s) => s.source === "output" && !isBoundOutput(s, bound));
}
