import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Float scores of a judge's ONNX model for many feature tensors, from onnxruntime in the
 * project's .venv (scripts/lib/judge_scores.py): one Python process for all inputs.
 */
export async function onnxJudgeScores(root: string, model: string, inputs: number[][]): Promise<number[]> {
  const python = path.join(root, ".venv", "bin", "python");
  const script = path.join(root, "scripts", "lib", "judge_scores.py");
  const child = promisify(execFile)(python, [script], { maxBuffer: 1 << 30 });
  child.child.stdin!.end(JSON.stringify({ model, inputs }));
  const { stdout } = await child;
  return JSON.parse(stdout) as number[];
}
