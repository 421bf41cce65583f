import { readJsonFile } from "@nomicfoundation/hardhat-utils/fs";
import type { ArtifactManager } from "hardhat/types/artifacts";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { deployedVerifierRoles } from "@hardhat-zkml/core/contract-names.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { sha256 } from "@hardhat-zkml/core/hash.js";
import { keyHashes, type Manifest } from "@hardhat-zkml/core/manifest.js";

/**
 * Refuses a verifier that does not belong to the current keys: generated from another
 * verifying key (`zk setup` rebuilt the keys since), or compiled from another source
 * than the one recorded (regenerated without `hardhat build`).
 */
export async function assertVerifierCurrent(model: ZkModelConfig, manifest: Manifest, artifacts: ArtifactManager): Promise<void> {
  const fix = `run \`npx hardhat zk verifier --model ${model.name}\``;
  const currentKeys = keyHashes(manifest);
  for (const role of deployedVerifierRoles(model.verifier)) {
    const record = manifest.contracts?.[role];
    if (record === undefined) throw new ZkError(`model "${model.name}" has no ${role} contract yet; ${fix}`);
    if (record.vk === undefined) {
      throw new ZkError(`${record.contract} has no record of the keys it was generated from (an older build); ${fix}`);
    }
    if (!currentKeys.includes(record.vk)) {
      throw new ZkError(
        `${record.contract} was generated from other keys than model "${model.name}" has now (zk setup rebuilt them); ${fix}`,
      );
    }
    const buildInfoId = (await artifacts.artifactExists(record.contract)) ? await artifacts.getBuildInfoId(record.contract) : undefined;
    const buildInfoPath = buildInfoId !== undefined ? await artifacts.getBuildInfoPath(buildInfoId) : undefined;
    if (buildInfoPath === undefined) throw new ZkError(`${record.contract} is not compiled; ${fix}`);
    const buildInfo = await readJsonFile<{ input: { sources: Record<string, { content?: string }> } }>(buildInfoPath);
    const compiled = Object.entries(buildInfo.input.sources).find(
      ([name]) => name.endsWith(`/${record.file}`) || name === record.file,
    )?.[1];
    if (compiled?.content === undefined || sha256(Buffer.from(compiled.content)) !== record.sha256) {
      throw new ZkError(`the compiled ${record.contract} is not built from the verifier recorded for model "${model.name}"; ${fix}`);
    }
  }
}
