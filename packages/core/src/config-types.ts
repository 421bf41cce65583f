import type { GateOptions } from "@hardhat-zkml/audio/gate.js";
import type { BoundAddress } from "./bound-address.js";

export type { BoundAddress };

/**
 * Visibility of a model's inputs, outputs or weights in the circuit. "hashed": a Poseidon
 * hash of each tensor is a public instance; "polycommit": an unblinded KZG commitment of
 * each tensor sits in the proof bytes (binding, not hiding; no extra rows).
 */
export type Visibility = "public" | "private" | "fixed" | "hashed" | "polycommit";
export type CalibrationTarget = "resources" | "accuracy";
export type VerifierKind = "single" | "reusable";
/** "auto": search the circuit layout (pipeline/sizing); "ezkl": ezkl's own calibration. */
export type SizingMode = "auto" | "ezkl";

/** One model as written in hardhat.config.ts under `zk.models.<name>`. */
export interface ZkModelUserConfig {
  /** Path to the ONNX file. */
  onnx: string;
  /** Calibration data: ezkl input JSON ({"input_data": [...]}); default input.json beside the ONNX. */
  calibrationData?: string;
  input?: Visibility;
  output?: Visibility;
  param?: Visibility;
  /** Fixed-point scales (bits). When set, calibration keeps them instead of searching. */
  inputScale?: number;
  paramScale?: number;
  calibrationTarget?: CalibrationTarget;
  /** Upper bound for the circuit size (2^logrows rows). */
  maxLogrows?: number;
  /** "dev" makes an insecure local SRS; { path } uses a ceremony SRS file. */
  srs?: "dev" | { path: string };
  /** "single": one self-contained verifier; "reusable": shared verifier + per-model VK artifact. */
  verifier?: VerifierKind;
  /** Pass inputs/outputs unchecked (needed to carry a 160-bit address); see README. */
  ignoreRangeCheckInputsOutputs?: boolean;
  /** Range-check decomposition; when set, the sizing search keeps it. Default: searched (auto) or 16384 x 2 (ezkl). */
  decompBase?: number;
  decompLegs?: number;
  /** How the circuit is sized; default "auto". */
  sizing?: SizingMode;
  /**
   * Error budget: the largest absolute error of any output against onnxruntime on the
   * calibration data that the sizing search may trade for a smaller circuit (lower scales,
   * so smaller lookup tables). Unset: never worse than ezkl's own calibration.
   */
  maxError?: number;
  /** Inputs (or outputs) read from an on-chain call and checked by the ezkl data attester. */
  attest?: AttestUserConfig;
  /**
   * The prover's address in the proof, so a claim pays that address whoever submits it.
   * `true`: the build adds a key input and its pass-through output to a copy of the ONNX
   * graph (input 0 and output 0 of the copy; the user's file is untouched), and implies
   * ignoreRangeCheckInputsOutputs. `{ input, output }`: the model already carries the key
   * from that input to that output (needs ignoreRangeCheckInputsOutputs: true).
   */
  boundAddress?: true | { input: number; output: number };
  /**
   * Which value a reward reads as the score: `output` counts the outputs of the model as
   * written in `onnx` (with `boundAddress: true`, before the key output is added), `element`
   * the flattened element in it (default 0). Default: the one output with one element
   * besides the bound one.
   */
  score?: { output: number; element?: number };
  /** How `zk prove` / `zk claim` prove this model by default (`--backend` overrides). */
  prover?: ModelProverUserConfig;
  /**
   * The recording gate for `--audio` (README "The recording gate"): threshold overrides,
   * or false to let any decodable recording through. The service reads it too.
   */
  gate?: Partial<GateOptions> | false;
}

/** Prover backend defaults for one model (see prover/backends.ts). */
export interface ModelProverUserConfig {
  /** "wasm" (default), "wasm-threads" or "native". */
  backend?: "wasm" | "wasm-threads" | "native";
  /** "wasm-threads": rayon threads per worker (default: all cores). */
  threads?: number;
  /** Workers in the pool (proofs at once). */
  workers?: number;
  /** Replace a worker after this many proofs. */
  recycleAfter?: number;
}

export interface AttestUserConfig {
  /** Which side of the model the on-chain call supplies; it must be public. */
  source: "input" | "output";
  /** Base-10 decimals of each value the call returns (e.g. 18 for wei amounts). */
  decimals: number[];
}

export interface ZkUserConfig {
  models?: Record<string, ZkModelUserConfig>;
  /** Build outputs per model; default "artifacts-zk". */
  artifactsDir?: string;
  /** Where generated Solidity lands (inside Hardhat's sources); default "contracts/generated". */
  generatedContractsDir?: string;
  /**
   * Python interpreter with the pinned ezkl (see requirements.txt); default .venv/bin/python.
   * `npx hardhat zk install-python` creates that venv. ZK_PYTHON overrides it.
   */
  python?: string;
}

export type SrsSource = { kind: "dev" } | { kind: "ceremony"; path: string };

/** A model after defaults and path resolution. */
export interface ZkModelConfig {
  name: string;
  onnx: string;
  calibrationData: string;
  input: Visibility;
  output: Visibility;
  param: Visibility;
  inputScale?: number;
  paramScale?: number;
  calibrationTarget: CalibrationTarget;
  maxLogrows: number;
  srs: SrsSource;
  verifier: VerifierKind;
  ignoreRangeCheckInputsOutputs: boolean;
  /** Set only when the config sets them (explicit settings win over the search). */
  decompBase?: number;
  decompLegs?: number;
  sizing: SizingMode;
  maxError?: number;
  attest?: AttestUserConfig;
  /** Where the key enters and leaves in the built graph (with `boundAddress: true`, the copy: 0 and 0). */
  boundAddress?: BoundAddress;
  score?: { output: number; element?: number };
  prover: ModelProverUserConfig & { backend: "wasm" | "wasm-threads" | "native" };
  gate?: Partial<GateOptions> | false;
}

export interface ZkConfig {
  models: Record<string, ZkModelConfig>;
  artifactsDir: string;
  generatedContractsDir: string;
  /** Absolute path of the Python interpreter ezkl runs in. */
  python: string;
}
