import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { KeyStore } from "@hardhat-zkml/server/key-store.js";
import { keysFile } from "@hardhat-zkml/server/options.js";
import { removeDir } from "../helpers/service.js";
import { captureLog } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

const keysTask = (name: string, args: Record<string, unknown>) => hre.tasks.getTask(["zk", "keys", name]).run(args);

describe("zk keys create | list | revoke", function () {
  let dataDir: string;
  before(async () => (dataDir = await mkdtemp(path.join(tmpdir(), "zk-keys-"))));
  after(() => removeDir(dataDir));

  it("creates a key whose token authenticates, stores only its hash, lists it, and revokes it", async function () {
    const out = await captureLog(() => keysTask("create", { name: "app", scopes: "prove,admin", rateLimit: 30, dataDir }));
    const token = /^(zk_\S+)$/m.exec(out)![1]!;
    const id = /^key ([0-9a-f]{12}) "app" scopes prove,admin, 30 requests\/min/m.exec(out)![1]!;
    const keys = new KeyStore(keysFile(dataDir));
    try {
      expect(keys.authenticate(token)?.id).to.equal(id);
      expect(keys.authenticate(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).to.equal(undefined);
      const raw = await import("node:sqlite").then(({ DatabaseSync }) => {
        const db = new DatabaseSync(keysFile(dataDir));
        const rows = db.prepare("SELECT * FROM api_keys").all();
        db.close();
        return JSON.stringify(rows);
      });
      // The secret itself is not stored (it is base64url, so it may hold "_" itself).
      const secret = token.slice(`zk_${id}_`.length);
      expect(secret).to.have.length(43);
      expect(raw).to.not.include(secret);
      expect(await captureLog(() => keysTask("list", { dataDir }))).to.match(new RegExp(`${id}\\s+app\\s+prove,admin\\s+30/min`));
      await captureLog(() => keysTask("revoke", { id, dataDir }));
      expect(keys.authenticate(token)).to.equal(undefined);
      expect(await captureLog(() => keysTask("list", { dataDir }))).to.match(/REVOKED/);
    } finally {
      keys.close();
    }
  });

  it("refuses an unknown scope, a missing name and an unknown id with one-line errors", async function () {
    for (const [name, args, pattern] of [
      ["create", { name: "x", scopes: "root", dataDir }, /unknown scope "root"/],
      ["create", { scopes: "prove", dataDir }, /--name is required/],
      ["revoke", { id: "000000000000", dataDir }, /no key with id/],
    ] as const) {
      let error: unknown;
      try {
        await keysTask(name, args);
      } catch (e) {
        error = e;
      }
      expectDeliberate(error);
      expect((error as Error).message).to.match(pattern);
      expect((error as Error).message.split("\n")).to.have.length(1);
    }
  });
});
