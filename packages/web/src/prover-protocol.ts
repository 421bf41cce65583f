/** Messages between the page and its prover worker. */

export interface ModelFiles {
  settings: Uint8Array;
  compiled: Uint8Array;
  vk: Uint8Array;
  pk: Uint8Array;
  srs: Uint8Array;
}

export interface ProveRequest {
  files: ModelFiles;
  /** ezkl input JSON ({"input_data": [...]}). */
  inputJson: string;
  /** Threads for the engine's rayon pool (1: no pool). */
  threads: number;
}

export interface ProveTimings {
  initMs: number;
  threadPoolMs: number;
  witnessMs: number;
  proveMs: number;
  verifyMs: number;
}

export type ProverMessage =
  | { kind: "stage"; stage: "starting" | "witness" | "proving" | "verifying" }
  | {
      kind: "done";
      proof: string;
      /** The public instances as the verifier takes them (uint256, 0x big-endian hex). */
      instances: string[];
      verified: boolean;
      score: number;
      threads: number;
      timings: ProveTimings;
    }
  | { kind: "error"; message: string };
