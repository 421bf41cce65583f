import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * Opens (creating its folder) a SQLite file the service shares between processes: WAL
 * journal so readers never block the writer, and a busy timeout instead of SQLITE_BUSY.
 */
export function openServiceDatabase(file: string): DatabaseSync {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
  return db;
}

/** One schema change of a store; migration N (1-based) runs once, on a database at user_version N - 1. */
export type Migration = (db: DatabaseSync) => void;

/**
 * Brings a store's schema up to date: runs the migrations it has not seen, in order, each
 * in a transaction that also records its number in `PRAGMA user_version`. A store written
 * by a newer version (a higher user_version) is refused rather than misread.
 */
export function migrate(db: DatabaseSync, store: string, migrations: readonly Migration[]): void {
  const version = () => (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (version() > migrations.length) {
    throw new Error(`${store} has schema version ${version()}, newer than this server's ${migrations.length}; upgrade the server`);
  }
  for (let n = version(); n < migrations.length; n++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      // Another process sharing the file may have run it while this one waited for the lock.
      if (version() === n) {
        migrations[n]!(db);
        db.exec(`PRAGMA user_version = ${n + 1}`);
      }
      db.exec("COMMIT");
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  }
}

/** Adds the columns a table lacks (stores made before numbered migrations existed). */
export function addMissingColumns(db: DatabaseSync, table: string, columns: readonly [name: string, type: string][]): void {
  const have = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  for (const [name, type] of columns) if (!have.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
}
