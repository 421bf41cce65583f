import { Interface } from "ethers";

const ATTESTER = new Interface(["function verifyWithDataAttestation(address verifier, bytes encoded) view returns (bool)"]);

/** Calldata for the ezkl data attester: verifyWithDataAttestation(verifier, verifyProof calldata). */
export function attesterCalldata(verifier: string, verifierCalldata: string): string {
  return ATTESTER.encodeFunctionData("verifyWithDataAttestation", [verifier, verifierCalldata]);
}
