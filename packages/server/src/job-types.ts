import type { InstanceSlot } from "@hardhat-zkml/core/manifest.js";

/** Where a job is in its life; only "queued" jobs can be canceled. */
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "canceled";
/** What a running job is doing now. */
export type JobStage = "features" | "witness" | "proving" | "verifying";
export const JOB_STAGES: readonly JobStage[] = ["features", "witness", "proving", "verifying"];

/**
 * The reward a judge job is proved (and, in attested mode, signed) for, as the API read
 * it from the chain at submission: numbers as decimal strings, so it serialises.
 */
export interface JobRewardTerms {
  address: string;
  chainId: string;
  round: string;
  domainBound: boolean;
  /** Set: the reward pays only attested recordings, signed by this attester. */
  attester?: string;
  commitment: { source: 0 | 1; at: string; length: string };
  /** How long the attester's signature stays valid. */
  ttlSeconds: number;
}

/** What a client asked for: serialisable, so it can sit in SQLite or Redis. */
export interface JobRequest {
  model: string;
  /** Per input (the bound-address input left out), its values flattened; absent when `audio` is sent. */
  inputs?: number[][];
  /** A recording (base64) whose features the job computes (the "features" stage). */
  audio?: string;
  /** The reward the proof is for (the service's configured reward, judge model only). */
  reward?: JobRewardTerms;
  /** The address (or decimal field element) bound into the proof, for models that bind one. */
  prover?: string;
  callbackUrl?: string;
  /** The API key that submitted the job (jobs are visible to their owner and to admins). */
  keyId?: string;
  /** sha256 of the model's keys as built: a worker with other artifacts refuses the job. */
  artifactsId: string;
  /** sha256 of what the client sent (model, inputs or recording, prover, callbackUrl): an idempotent replay must match it. */
  fingerprint?: string;
}

export interface DecodedInstanceView {
  index: number;
  source: InstanceSlot["source"];
  tensor: number;
  element: number;
  scale: number;
  /** The field element as 0x-prefixed hex (uint256). */
  felt: string;
  /** felt / 2^scale as a float; null at the bound-address output (see address / key). */
  value: number | null;
  /** At the bound-address output: the address bound into the proof. */
  address?: string;
  /** At the bound-address output, when it holds a domain-bound key: the key, 0x hex. */
  key?: string;
}

/** What GET /v1/jobs/{id}/result returns. */
export interface JobResult {
  model: string;
  /** The proof JSON as ezkl writes it. */
  proof: Record<string, unknown>;
  instances: DecodedInstanceView[];
  /** ABI-encoded verifyProof(bytes, uint256[]) call data. */
  verifierCalldata: string;
  /** verifyProof arguments: the proof bytes and the instances as decimal strings. */
  verifierArgs: { proof: string; instances: string[] };
  boundAddress?: string;
  /** For judge models: JudgmentReward.claim arguments (recipient, proof, instances, minReward) and the judgment. */
  claim?: { function: string; args: (string | string[])[] };
  judgment?: { recipient: string; score: number; scoreFelt: string };
  /** Attested mode: the attester's EIP-712 signature over the commitment of the features the service computed. */
  attestation?: { commitment: string; recipient: string; round: string; deadline: string; signature: string };
  /** For audio jobs: the features computed from the recording (the model's input, flattened). */
  features?: number[];
  verified: boolean;
  proveMs: number;
  /** Which prover did the work (for metrics). */
  backend: string;
}

/** A job as the API shows it. */
export interface JobRecord {
  id: string;
  request: JobRequest;
  status: JobStatus;
  stage?: JobStage;
  /** When each stage of the last attempt began (epoch ms). */
  stages?: Partial<Record<JobStage, number>>;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  attempts: number;
  error?: string;
  result?: JobResult;
}

export const FINISHED: readonly JobStatus[] = ["succeeded", "failed", "canceled"];

export function isFinished(status: JobStatus): boolean {
  return FINISHED.includes(status);
}
