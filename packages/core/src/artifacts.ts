import path from "node:path";

/** Where one model's build outputs live: artifacts-zk/<model>/... */
export interface ModelArtifacts {
  dir: string;
  settings: string;
  compiled: string;
  srs: string;
  vk: string;
  pk: string;
  manifest: string;
  /** Proofs, witnesses and calldata the tests and demo cache. */
  proofsDir: string;
}

export function modelArtifacts(artifactsDir: string, model: string): ModelArtifacts {
  const dir = path.join(artifactsDir, model);
  return {
    dir,
    settings: path.join(dir, "settings.json"),
    compiled: path.join(dir, "model.compiled"),
    srs: path.join(dir, "kzg.srs"),
    vk: path.join(dir, "vk.key"),
    pk: path.join(dir, "pk.key"),
    manifest: path.join(dir, "manifest.json"),
    proofsDir: path.join(dir, "proofs"),
  };
}
