import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { JobStore } from "@hardhat-zkml/server/job-store.js";
import { KeyStore } from "@hardhat-zkml/server/key-store.js";

const userVersion = (file: string) => {
  const db = new DatabaseSync(file);
  try {
    return (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  } finally {
    db.close();
  }
};

describe("service stores: numbered SQLite migrations", function () {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "zk-migrations-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("a new store is created at the latest schema version, and reopening it changes nothing", function () {
    const file = path.join(dir, "jobs.db");
    new JobStore(file).close();
    expect(userVersion(file)).to.equal(1);
    new JobStore(file).close();
    expect(userVersion(file)).to.equal(1);
  });

  it("a store from before migrations (user_version 0, without later columns) is adopted and keeps its jobs", function () {
    const file = path.join(dir, "jobs.db");
    const legacy = new DatabaseSync(file);
    legacy.exec(`CREATE TABLE jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, request TEXT NOT NULL, status TEXT NOT NULL,
      stage TEXT, key_id TEXT, idempotency_key TEXT, created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0, completions INTEGER NOT NULL DEFAULT 0, error TEXT, result TEXT,
      UNIQUE (key_id, idempotency_key))`);
    legacy.prepare("INSERT INTO jobs (id, request, status, created_at) VALUES (?, ?, ?, ?)").run("old-job", '{"model":"m"}', "queued", 1);
    legacy.close();
    const store = new JobStore(file);
    try {
      expect(store.get("old-job")?.status).to.equal("queued");
    } finally {
      store.close();
    }
    expect(userVersion(file)).to.equal(1);
    const db = new DatabaseSync(file);
    const columns = (db.prepare("PRAGMA table_info(jobs)").all() as { name: string }[]).map((c) => c.name);
    db.close();
    expect(columns).to.include.members(["stages", "callback", "callback_error", "answer"]);
  });

  it("a store written by a newer server is refused, not misread", function () {
    const file = path.join(dir, "keys.db");
    const db = new DatabaseSync(file);
    db.exec("PRAGMA user_version = 99");
    db.close();
    expect(() => new KeyStore(file)).to.throw(/schema version 99, newer than this server's 1; upgrade the server/);
  });
});
