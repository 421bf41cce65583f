import type { VerifierKind } from "./config-types.js";

/** "tinyMlp" -> "TinyMlp": the prefix of a model's generated contract names. */
export function contractPrefix(model: string): string {
  const words = model.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return /^[0-9]/.test(name) ? `M${name}` : name;
}

/** Names of the Solidity contracts a model's verifier tasks produce, by manifest role. */
export function verifierNames(model: string) {
  const prefix = contractPrefix(model);
  return {
    verifier: `${prefix}Verifier`,
    reusableVerifier: `${prefix}ReusableVerifier`,
    vka: `${prefix}VerifyingKey`,
  };
}

export type VerifierRole = keyof ReturnType<typeof verifierNames>;

/** The generated data attester of a model (`zk attester`). */
export function attesterName(model: string): string {
  return `${contractPrefix(model)}DataAttester`;
}

/** The Ignition module id of a model's verifier deployed alone (`zk deploy --verifier-only`). */
export function verifierModuleId(model: string): string {
  return `${contractPrefix(model)}Verifier`;
}

/** The Ignition module id of a model's JudgmentReward deployment. */
export function rewardModuleId(model: string): string {
  return `${contractPrefix(model)}Reward`;
}

/** The manifest roles of the verifier contracts a reward deployment uses: one, or the reusable verifier and its VK artifact. */
export function deployedVerifierRoles(kind: VerifierKind): VerifierRole[] {
  return kind === "single" ? ["verifier"] : ["reusableVerifier", "vka"];
}

/** Every contract name the verifier and attester tasks may generate for a model (what `zk clean` removes). */
export function generatedContractNames(model: string): string[] {
  return [...Object.values(verifierNames(model)), attesterName(model)];
}
