import type { InstanceSlot } from "../manifest.js";

/** Where a job is in its life; only "queued" jobs can be canceled. */
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "canceled";
/** What a running job is doing now. */
export type JobStage = "features" | "witness" | "proving" | "verifying";

/** What a client asked for: small and serialisable, so it can sit in SQLite or Redis. */
export interface JobRequest {
  model: string;
  /** Per input (the bound-address input left out), its values flattened. */
  inputs: number[][];
  /** The address (or decimal field element) bound into the proof, for models that bind one. */
  prover?: string;
  callbackUrl?: string;
  /** The API key that submitted the job (jobs are visible to their owner and to admins). */
  keyId?: string;
  /** sha256 of the model's keys as built: a worker with other artifacts refuses the job. */
  artifactsId: string;
}

export interface DecodedInstanceView {
  index: number;
  source: InstanceSlot["source"];
  tensor: number;
  element: number;
  scale: number;
  /** The field element as 0x-prefixed hex (uint256). */
  felt: string;
  value: number;
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
  claim?: { function: string; args: [string, string, string[], string] };
  judgment?: { recipient: string; score: number; scoreFelt: string };
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
