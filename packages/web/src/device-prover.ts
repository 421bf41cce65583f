import { uint256ToFelt } from "@hardhat-zkml/core/field.js";
import { domainKey } from "@hardhat-zkml/core/reward/domain-key.js";
import type { PageApi, RewardInfo } from "./api.js";
import type { ModelFiles, ProverMessage, ProveTimings } from "./prover-protocol.js";

export interface DeviceProof {
  proof: string;
  instances: string[];
  verified: boolean;
  score: number;
  threads: number;
  downloadMs: number;
  timings: ProveTimings;
  totalMs: number;
}

const KINDS = ["settings", "compiled", "vk", "pk", "srs"] as const;

/**
 * The key the judge binds into the proof: for a domain-bound reward the key of this chain,
 * contract, round and recipient (JudgmentReward.domainKey), else the address itself.
 */
export function boundKey(recipient: string, reward: RewardInfo | null): bigint {
  if (reward !== null && reward.domainBound !== false)
    return domainKey(BigInt(reward.chainId), reward.address, recipient, BigInt(reward.round));
  return BigInt(recipient);
}

/** Threads for the engine: every core when the page is cross-origin isolated (shared memory), else none. */
export function deviceThreads(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 0;
}

let worker: Worker | undefined;
let files: Promise<ModelFiles> | undefined;

/** Downloads the model's files once, then proves `features` for `recipient` in a worker; the recording stays here. */
export async function proveOnDevice(
  api: PageApi,
  model: string,
  features: number[],
  recipient: string,
  reward: RewardInfo | null,
  onStage: (stage: string) => void,
): Promise<DeviceProof> {
  const threads = deviceThreads();
  if (threads === 0)
    throw new Error(
      "this page is not cross-origin isolated, so the engine cannot share memory with its threads; open it from the proving server",
    );
  const started = performance.now();
  onStage("downloading the model's files");
  files ??= Promise.all(KINDS.map((k) => api.artifact(model, k))).then(
    (parts) => Object.fromEntries(KINDS.map((k, i) => [k, parts[i]!])) as unknown as ModelFiles,
  );
  let modelFiles: ModelFiles;
  try {
    modelFiles = await files;
  } catch (e) {
    files = undefined;
    throw e;
  }
  const downloadMs = performance.now() - started;
  const inputJson = JSON.stringify({ input_data: [[uint256ToFelt(boundKey(recipient, reward))], features] });
  worker ??= new Worker(new URL("./prover.worker.ts", import.meta.url), { type: "module" });
  const w = worker;
  return new Promise<DeviceProof>((resolve, reject) => {
    const onMessage = (event: MessageEvent<ProverMessage>) => {
      const m = event.data;
      if (m.kind === "stage") return onStage(m.stage);
      w.removeEventListener("message", onMessage);
      if (m.kind === "error") return reject(new Error(`proving on this device failed: ${m.message}`));
      resolve({ ...m, downloadMs, totalMs: performance.now() - started });
    };
    w.addEventListener("message", onMessage);
    w.addEventListener("error", (e) => reject(new Error(`the prover worker failed: ${e.message}`)), { once: true });
    w.postMessage({ files: modelFiles, inputJson, threads });
  });
}

/**
 * JudgmentReward.claim for a proof made here (an open-mode reward: it pays any valid proof
 * bound to the recipient), in the form the server's results give it.
 */
export function deviceClaim(proof: DeviceProof, recipient: string): { function: string; args: (string | string[])[] } {
  const { hex_proof } = JSON.parse(proof.proof) as { hex_proof: string };
  return {
    function: "claim(address,bytes,uint256[],uint256)",
    args: [recipient, hex_proof, proof.instances.map((x) => BigInt(x).toString()), "0"],
  };
}
