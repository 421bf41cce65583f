import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/** One librosa run: seed 000's features for these files with this spectrogram shape. */
export interface LibrosaJob {
  files: string[];
  n_fft: number;
  hop_length: number;
  n_mels: number;
  frames: number;
  res_type: "soxr_hq" | "sinc_best";
  repeat?: number;
  /** Run each file once untimed first (benchmarks). */
  warmup?: boolean;
}

export interface LibrosaResult {
  db?: number[][];
  input?: number[];
  samples?: number;
  seconds?: number;
  error?: string;
}

/** Runs test/helpers/librosa_features.py in the project's .venv (librosa from requirements-dev.txt). */
export async function librosaFeatures(root: string, jobs: LibrosaJob[]): Promise<LibrosaResult[][]> {
  const python = path.join(root, ".venv", "bin", "python");
  const script = path.join(root, "test", "helpers", "librosa_features.py");
  const child = promisify(execFile)(python, [script], { maxBuffer: 1 << 30 });
  child.child.stdin!.end(JSON.stringify({ jobs }));
  const { stdout } = await child;
  return JSON.parse(stdout) as LibrosaResult[][];
}
