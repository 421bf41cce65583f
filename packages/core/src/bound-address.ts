/**
 * A model that binds the prover's address: the ONNX input that takes the address (or a
 * domain-bound key) and the output that returns it as a public instance.
 */
export interface BoundAddress {
  input: number;
  output: number;
}

/** What an instance slot says about where it comes from (manifest slots and decoded instances alike). */
interface Slot {
  source: string;
  tensor: number;
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

/** A judge model's score: a public output besides the bound address (undefined for other models). */
export function scoreSlot<S extends Slot>(slots: readonly S[], bound: BoundAddress | undefined): S | undefined {
  return bound === undefined ? undefined : slots.find((s) => s.source === "output" && !isBoundOutput(s, bound));
}

/** A judge model: it binds the prover's address and makes a score public, so JudgmentReward can pay it. */
export function isJudgeModel(slots: readonly Slot[], bound: BoundAddress | undefined): boolean {
  return scoreSlot(slots, bound) !== undefined;
}
