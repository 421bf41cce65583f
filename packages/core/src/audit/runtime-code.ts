/**
 * Compares a contract's deployed runtime code with a rebuild of it, setting aside what a
 * rebuild cannot reproduce: the CBOR metadata solc appends (it hashes source names and
 * comments) and immutables (filled in at deployment).
 */

export type CodeComparison =
  | { same: true; metadataDiffers: boolean; immutablesDiffer: boolean }
  | {
      same: false;
      /** Byte offset of the first difference (metadata and immutables aside). */
      firstDifference: number;
      deployedLength: number;
      rebuiltLength: number;
    };

const bytesOf = (hex: string) => Buffer.from(hex.replace(/^0x/, ""), "hex");

/**
 * Splits solc's metadata tail off runtime code: the last two bytes give the CBOR map's
 * length, and the map starts with a CBOR map header (0xa0-0xbf). Code without one is whole.
 */
export function splitMetadata(code: Uint8Array): { body: Uint8Array; metadata: Uint8Array } {
  if (code.length >= 2) {
    const length = (code[code.length - 2]! << 8) | code[code.length - 1]!;
    const start = code.length - 2 - length;
    if (length > 0 && start >= 0 && code[start]! >= 0xa0 && code[start]! <= 0xbf) {
      return { body: code.subarray(0, start), metadata: code.subarray(start) };
    }
  }
  return { body: code, metadata: new Uint8Array() };
}

/**
 * `withMetadata: false` compares code a constructor returned (e.g. ezkl's VK artifact, whose
 * constructor returns the key as code): it has no solc metadata tail to set aside.
 */
export function compareRuntimeCode(
  deployedHex: string,
  rebuilt: { code: string; immutables: { start: number; length: number }[] },
  withMetadata = true,
): CodeComparison {
  const split = (code: Uint8Array) => (withMetadata ? splitMetadata(code) : { body: code, metadata: new Uint8Array() });
  const deployed = split(bytesOf(deployedHex));
  const ours = split(bytesOf(rebuilt.code));
  const a = Buffer.from(deployed.body);
  const b = Buffer.from(ours.body);
  let immutablesDiffer = false;
  for (const { start, length } of rebuilt.immutables) {
    if (start + length > a.length || start + length > b.length) continue;
    if (!a.subarray(start, start + length).equals(b.subarray(start, start + length))) immutablesDiffer = true;
    a.fill(0, start, start + length);
    b.fill(0, start, start + length);
  }
  if (a.equals(b)) {
    return { same: true, metadataDiffers: !Buffer.from(deployed.metadata).equals(Buffer.from(ours.metadata)), immutablesDiffer };
  }
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { same: false, firstDifference: i, deployedLength: a.length, rebuiltLength: b.length };
}
