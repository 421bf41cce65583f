import { open } from "node:fs/promises";
import { ZkError } from "./errors.js";

/**
 * ezkl's SRS files (what `gen_srs` writes and what `get_srs` fetches from the KZG
 * ceremony, one file per size) are halo2's KZG parameters in raw form: k as a
 * little-endian u32, 2^k G1 points in monomial and 2^k in Lagrange form (64 bytes each),
 * then two G2 points (128 bytes each).
 */
const G1_BYTES = 64;
const G2_BYTES = 128;

export function srsFileSize(k: number): number {
  return 4 + 2 * 2 ** k * G1_BYTES + 2 * G2_BYTES;
}

/** The SRS size k (2^k points) of a file in ezkl's format; throws when the file is not one. */
export async function readSrsK(file: string): Promise<number> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(4);
    const { bytesRead } = await handle.read(header, 0, 4, 0);
    const { size } = await handle.stat();
    const k = bytesRead === 4 ? header.readUInt32LE(0) : -1;
    if (k < 1 || k > 28 || size !== srsFileSize(k)) {
      throw new ZkError(
        `${file} is not an SRS in ezkl's format (k as u32, then 2^k G1 points twice and 2 G2 points; ${size} bytes); ` +
          "use the ceremony file for the circuit's size (ezkl's kzg<logrows>.srs)",
      );
    }
    return k;
  } finally {
    await handle.close();
  }
}

/**
 * A ceremony SRS must hold exactly 2^logrows points: native ezkl would shrink a larger
 * one, but the WASM engine uses the file as it is, and the keys must come from the same
 * points the verifier embeds.
 */
export async function assertCeremonySrsFits(model: string, file: string, logrows: number): Promise<number> {
  const k = await readSrsK(file);
  if (k !== logrows) {
    throw new ZkError(
      `model "${model}": the ceremony SRS ${file} holds 2^${k} points but the circuit is sized at logrows ${logrows}; ` +
        `point zk.models.${model}.srs.path at the ceremony file for k = ${logrows} (ezkl's kzg${logrows}.srs)`,
    );
  }
  return k;
}
