import { sha256 } from "@hardhat-zkml/core/hash.js";
import type { ModelFiles } from "@hardhat-zkml/core/prover/model-files.js";

/** The built files a browser needs to prove a model itself. */
export const ARTIFACT_KINDS = ["settings", "compiled", "vk", "pk", "srs"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface ArtifactFile {
  bytes: Uint8Array;
  /** sha256 hex: the manifest's hash of the file (the bytes were checked against it when loaded). */
  sha256: string;
}

export type ArtifactReader = (model: string, kind: ArtifactKind) => Promise<ArtifactFile>;

/** Reads a model's built files through `files` (loaded once and hash-checked against the manifest), hashing each once. */
export function artifactReader(files: (model: string) => Promise<ModelFiles>): ArtifactReader {
  const hashes = new Map<string, string>();
  return async (model, kind) => {
    const bytes = (await files(model))[kind];
    const key = `${model}:${kind}`;
    let hash = hashes.get(key);
    if (hash === undefined) hashes.set(key, (hash = sha256(bytes)));
    return { bytes, sha256: hash };
  };
}
