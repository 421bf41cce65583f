import { expect } from "chai";
import { redisOptions } from "@hardhat-zkml/server/queue/redis-connection.js";
import { expectDeliberate } from "../helpers/errors.js";

describe("Redis URL (ZK_REDIS_URL)", function () {
  it("reads host, port, credentials and database from redis://", function () {
    expect(redisOptions("redis://user:p%40ss@127.0.0.1:6380/2")).to.deep.equal({
      host: "127.0.0.1",
      port: 6380,
      username: "user",
      password: "p@ss",
      db: 2,
      maxRetriesPerRequest: null,
    });
  });

  it("turns on TLS for rediss://, checking the certificate against the host name", function () {
    const options = redisOptions("rediss://:secret@localhost:6390");
    expect(options.tls).to.deep.equal({ servername: "localhost" });
    expect(options).to.include({ host: "localhost", port: 6390, password: "secret", db: 0 });
  });

  it("refuses another scheme with the fix", function () {
    try {
      redisOptions("http://127.0.0.1:6379");
      expect.fail("accepted http://");
    } catch (e) {
      expectDeliberate(e);
      expect((e as Error).message).to.match(/must start with redis:\/\/ or rediss:\/\//);
    }
  });
});
