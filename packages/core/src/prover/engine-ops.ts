import { clamped, loadEngine } from "../engine.js";
import { ZkError } from "../errors.js";
import type { ModelFiles } from "./model-files.js";

/** Synchronous engine calls on loaded artifacts; run them in a worker to keep the loop free. */
export function engineWitness(files: ModelFiles, inputJson: string): Uint8Array {
  return loadEngine().genWitness(clamped(files.compiled), clamped(inputJson));
}

export function engineProve(files: ModelFiles, witness: Uint8Array): Uint8Array {
  return loadEngine().prove(clamped(witness), clamped(files.pk), clamped(files.compiled), clamped(files.srs));
}

/** True if the engine accepts the proof; false (not an exception) if it rejects it. */
export function engineVerify(files: ModelFiles, proof: Uint8Array): boolean {
  try {
    return loadEngine().verify(clamped(proof), clamped(files.vk), clamped(files.settings), clamped(files.srs));
  } catch {
    return false;
  }
}

/** ABI-encoded verifyProof(bytes,uint256[]) call data (or the reusable form with a VK address). */
export function engineCalldata(proof: Uint8Array, vkAddress?: string): Uint8Array {
  const engine = loadEngine();
  try {
    if (vkAddress === undefined) return engine.encodeVerifierCalldata(clamped(proof));
    const bytes = Array.from(Buffer.from(vkAddress.replace(/^0x/, ""), "hex"));
    return engine.encodeVerifierCalldata(clamped(proof), new TextEncoder().encode(JSON.stringify(bytes)));
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new ZkError(
      `the engine cannot encode calldata for this proof (${reason}); pass a .proof.json written by \`npx hardhat zk prove\``,
    );
  }
}
