import type { HttpOptions } from "@hardhat-zkml/server/app.js";
import type { JobRecord, JobRequest } from "@hardhat-zkml/server/job-types.js";
import type { ServedModel } from "@hardhat-zkml/server/model-catalog.js";
import type { JobQueue } from "@hardhat-zkml/server/queue/job-queue.js";

/** A JobQueue in memory: records what the routes queue; jobs stay queued unless a test finishes them. */
export class FakeQueue implements JobQueue {
  readonly kind = "embedded" as const;
  readonly jobs = new Map<string, JobRecord>();
  readonly #byKey = new Map<string, string>();
  readonly #answers = new Map<string, number>();
  #next = 1;

  async submit(request: JobRequest, idempotencyKey?: string) {
    const key = idempotencyKey === undefined ? undefined : `${request.keyId}:${idempotencyKey}`;
    const existing = key === undefined ? undefined : this.#byKey.get(key);
    if (existing !== undefined) return { job: this.jobs.get(existing)!, created: false };
    const job: JobRecord = { id: `job-${this.#next++}`, request, status: "queued", createdAt: Date.now(), attempts: 0 };
    this.jobs.set(job.id, job);
    if (key !== undefined) this.#byKey.set(key, job.id);
    return { job, created: true };
  }
  async get(id: string) {
    return this.jobs.get(id);
  }
  async recordAnswer(id: string, status: number) {
    if (!this.#answers.has(id)) this.#answers.set(id, status);
  }
  async answerOf(id: string) {
    return this.#answers.get(id);
  }
  async cancel(id: string) {
    const job = this.jobs.get(id);
    if (job?.status === "queued") job.status = "canceled";
    return job;
  }
  async waitUntilFinished(id: string) {
    return this.jobs.get(id);
  }
  async depth() {
    return { queued: [...this.jobs.values()].filter((j) => j.status === "queued").length, running: 0 };
  }
  async expectedRunMs() {
    return undefined;
  }
  async position() {
    return 0;
  }
  async close() {}
}

/** HTTP options for route tests: small limits, CORS for one development origin. */
export const HTTP_OPTIONS: HttpOptions = {
  bodyLimit: 4096,
  audioLimit: 1 << 20,
  corsOrigins: ["http://127.0.0.1:5173"],
  defaultRatePerMinute: 60,
  trustProxy: [],
  authFailureLimit: 3,
  authFailureWindowSeconds: 60,
  maxWaitSeconds: 30,
  retentionSeconds: 3600,
};

/** A served model as a catalog entry (no circuit behind it: these tests stop at the queue). */
export const SCORER: ServedModel = {
  name: "scorer",
  inputs: [{ name: "x", index: 0, shape: [1, 4], elements: 4, min: -1, max: 1 }],
  outputs: [{ name: "y", shape: [1, 1] }],
  instances: [{ index: 0, source: "output", tensor: 0, element: 0, scale: 7 }],
  judge: false,
  logrows: 10,
  srs: { source: "dev", insecure: true },
  contracts: [],
  artifactsId: "a".repeat(64),
};
