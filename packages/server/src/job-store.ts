import { randomUUID } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { addMissingColumns, migrate, openServiceDatabase, type Migration } from "./sqlite.js";
import type { JobRecord, JobRequest, JobResult, JobStage, JobStatus } from "./job-types.js";

interface Row {
  id: string;
  request: string;
  status: JobStatus;
  stage: JobStage | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempts: number;
  completions: number;
  error: string | null;
  result: string | null;
  stages: string | null;
}

function toRecord(row: Row): JobRecord {
  return {
    id: row.id,
    request: JSON.parse(row.request) as JobRequest,
    status: row.status,
    stage: row.stage ?? undefined,
    stages: row.stages === null ? undefined : (JSON.parse(row.stages) as JobRecord["stages"]),
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    attempts: row.attempts,
    error: row.error ?? undefined,
    result: row.result === null ? undefined : (JSON.parse(row.result) as JobResult),
  };
}

/**
 * The jobs table's numbered migrations (PRAGMA user_version). 1 adopts stores made before
 * migrations existed: it creates what is missing, columns added since the first release
 * included. A schema change appends a migration; none is ever edited.
 */
const JOB_MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        request TEXT NOT NULL,
        status TEXT NOT NULL,
        stage TEXT,
        key_id TEXT,
        idempotency_key TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        completions INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        result TEXT,
        UNIQUE (key_id, idempotency_key)
      );
      CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, seq);
    `);
    addMissingColumns(db, "jobs", [
      ["stages", "TEXT"],
      ["callback", "TEXT"],
      ["callback_error", "TEXT"],
      ["answer", "INTEGER"],
    ]);
  },
];

/**
 * The embedded server's jobs, in SQLite (Node's built-in node:sqlite, WAL journal):
 * they survive a restart, and a job interrupted while running is queued again.
 * `completions` counts how often a job was marked succeeded; it must stay at most 1.
 */
export class JobStore {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = openServiceDatabase(file);
    migrate(this.#db, file, JOB_MIGRATIONS);
  }

  /** Inserts a queued job, or returns the job already stored under the same idempotency key. */
  insert(request: JobRequest, idempotencyKey?: string): { job: JobRecord; created: boolean } {
    if (idempotencyKey !== undefined) {
      const existing = this.#db
        .prepare("SELECT * FROM jobs WHERE key_id IS ? AND idempotency_key = ?")
        .get(request.keyId ?? null, idempotencyKey) as Row | undefined;
      if (existing !== undefined) return { job: toRecord(existing), created: false };
    }
    const id = randomUUID();
    this.#db
      .prepare("INSERT INTO jobs (id, request, status, key_id, idempotency_key, created_at) VALUES (?, ?, 'queued', ?, ?, ?)")
      .run(id, JSON.stringify(request), request.keyId ?? null, idempotencyKey ?? null, Date.now());
    return { job: this.get(id)!, created: true };
  }

  get(id: string): JobRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as Row | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** The HTTP status the job's first submission was answered with; only the first is kept. */
  recordAnswer(id: string, status: number): void {
    this.#db.prepare("UPDATE jobs SET answer = ? WHERE id = ? AND answer IS NULL").run(status, id);
  }

  answerOf(id: string): number | undefined {
    const row = this.#db.prepare("SELECT answer FROM jobs WHERE id = ?").get(id) as { answer: number | null } | undefined;
    return row?.answer ?? undefined;
  }

  completions(id: string): number {
    const row = this.#db.prepare("SELECT completions FROM jobs WHERE id = ?").get(id) as { completions: number } | undefined;
    return row?.completions ?? 0;
  }

  /** Marks the oldest queued job running and returns it. */
  claimNext(): JobRecord | undefined {
    const row = this.#db
      .prepare(
        `
      UPDATE jobs SET status = 'running', stage = NULL, stages = NULL, started_at = ?, attempts = attempts + 1
      WHERE seq = (SELECT seq FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT 1)
      RETURNING *`,
      )
      .get(Date.now()) as Row | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** The running job's current stage, and when it began. */
  setStage(id: string, stage: JobStage, at: number = Date.now()): void {
    this.#db
      .prepare("UPDATE jobs SET stage = ?, stages = json_set(COALESCE(stages, '{}'), '$.' || ?, ?) WHERE id = ? AND status = 'running'")
      .run(stage, stage, at, id);
  }

  /** A finished job whose callback is owed: "pending" until delivered (a restart delivers it again). */
  callbackPending(id: string): void {
    this.#db.prepare("UPDATE jobs SET callback = 'pending' WHERE id = ?").run(id);
  }

  callbackEnded(id: string, error?: string): void {
    this.#db
      .prepare("UPDATE jobs SET callback = ?, callback_error = ? WHERE id = ?")
      .run(error === undefined ? "delivered" : "failed", error ?? null, id);
  }

  callbackState(id: string): { state?: string; error?: string } {
    const row = this.#db.prepare("SELECT callback, callback_error FROM jobs WHERE id = ?").get(id) as
      { callback: string | null; callback_error: string | null } | undefined;
    return { state: row?.callback ?? undefined, error: row?.callback_error ?? undefined };
  }

  /** Finished jobs whose callback was not delivered before the last stop. */
  pendingCallbacks(): JobRecord[] {
    return (this.#db.prepare("SELECT * FROM jobs WHERE callback = 'pending' ORDER BY seq").all() as unknown as Row[]).map(toRecord);
  }

  /** Records the result once: a job that is no longer running is left as it is. */
  succeed(id: string, result: JobResult): boolean {
    const r = this.#db
      .prepare(
        `UPDATE jobs SET status = 'succeeded', result = ?, finished_at = ?, completions = completions + 1
      WHERE id = ? AND status = 'running'`,
      )
      .run(JSON.stringify(result), Date.now(), id);
    return Number(r.changes) === 1;
  }

  fail(id: string, error: string): boolean {
    const r = this.#db
      .prepare("UPDATE jobs SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'")
      .run(error, Date.now(), id);
    return Number(r.changes) === 1;
  }

  cancel(id: string): boolean {
    const r = this.#db
      .prepare("UPDATE jobs SET status = 'canceled', finished_at = ? WHERE id = ? AND status = 'queued'")
      .run(Date.now(), id);
    return Number(r.changes) === 1;
  }

  /** After a restart: jobs that were running when the process stopped go back to the queue. */
  requeueInterrupted(): number {
    const r = this.#db.prepare("UPDATE jobs SET status = 'queued', stage = NULL, stages = NULL WHERE status = 'running'").run();
    return Number(r.changes);
  }

  /** Deletes finished jobs (and their results) older than `before` (ms since epoch). */
  purgeFinishedBefore(before: number): number {
    const r = this.#db.prepare("DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?").run(before);
    return Number(r.changes);
  }

  counts(): { queued: number; running: number } {
    const rows = this.#db.prepare("SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY status").all() as {
      status: string;
      n: number;
    }[];
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { queued: n("queued"), running: n("running") };
  }

  /** Mean run time of the model's last 20 successful jobs, in ms. */
  meanRunMs(model: string): number | undefined {
    const row = this.#db
      .prepare(
        `SELECT AVG(finished_at - started_at) AS ms FROM (SELECT finished_at, started_at FROM jobs
      WHERE status = 'succeeded' AND json_extract(request, '$.model') = ? ORDER BY seq DESC LIMIT 20)`,
      )
      .get(model) as { ms: number | null };
    return row.ms ?? undefined;
  }

  /** Position in the queue (0 = next). */
  queuePosition(id: string): number | undefined {
    const row = this.#db
      .prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued' AND seq < (SELECT seq FROM jobs WHERE id = ? AND status = 'queued')`)
      .get(id) as { n: number };
    return row.n;
  }

  close(): void {
    this.#db.close();
  }
}
