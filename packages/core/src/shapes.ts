/**
 * Elements in a tensor of `shape`, flattened. Symbolic (batch) dimensions, written as
 * null or 0 in an ONNX shape, count as 1: ezkl's default batch size.
 */
export function elementCount(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((n, d) => n * (d === null || d === 0 ? 1 : d), 1);
}
