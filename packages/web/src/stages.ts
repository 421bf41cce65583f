import type { JobView } from "./api.js";
import { seconds } from "./ui.js";

const LABELS: Record<string, string> = {
  queued: "Waiting for a prover",
  features: "Reading the recording",
  witness: "Running the judge",
  proving: "Proving the judgment",
  verifying: "Checking the proof",
};
const ORDER = ["queued", "features", "witness", "proving", "verifying"];

/**
 * The job's stages as a list, each with how long it took (or has taken so far).
 */
export function renderStages(list: HTMLOListElement, job: JobView, now: number): void {
  const startOf = (stage: string): number | undefined =>
    stage === "queued" ? Date.parse(job.createdAt ?? "") : job.stages?.[stage] === undefined ? undefined : Date.parse(job.stages[stage]!);
  const finished = job.finishedAt === undefined ? undefined : Date.parse(job.finishedAt);
  const current = job.status === "queued" ? "queued" : job.status === "running" ? job.stage : undefined;
  const items = ORDER.filter((s) => s === "queued" || startOf(s) !== undefined || s === current).map((stage, i, seen) => {
    const start = startOf(stage);
    const nextStart = seen
      .slice(i + 1)
      .map(startOf)
      .find((t) => t !== undefined);
    const end = stage === current ? now : (nextStart ?? finished ?? now);
    const state = stage === current ? "now" : "done";
    const took = start === undefined || Number.isNaN(start) ? "" : ` — ${seconds(Math.max(0, end - start))}`;
    return { stage, state, text: `${LABELS[stage] ?? stage}${took}` };
  });
  list.replaceChildren(
    ...items.map(({ stage, state, text }) => {
      const li = document.createElement("li");
      li.dataset.stage = stage;
      li.dataset.state = state;
      li.textContent = text;
      return li;
    }),
  );
}

/** "Elapsed 1.2 s (expected about 2.5 s)" for the whole job. */
export function elapsedText(job: JobView, now: number, expectedMs: number | undefined): string {
  const created = Date.parse(job.createdAt ?? "");
  if (Number.isNaN(created)) return "";
  const finished = job.finishedAt === undefined ? now : Date.parse(job.finishedAt);
  const expected = expectedMs === undefined ? "" : ` (a proof is expected to take about ${seconds(expectedMs)})`;
  return `Elapsed ${seconds(finished - created)}${expected}`;
}
