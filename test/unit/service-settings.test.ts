import { expect } from "chai";
import path from "node:path";
import hre from "hardhat";
import { resolveServiceConfig } from "@hardhat-zkml/server/options.js";
import { parseServiceSettings } from "@hardhat-zkml/server/settings.js";
import { expectDeliberate } from "../helpers/errors.js";

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    parseServiceSettings(env);
  } catch (e) {
    expectDeliberate(e);
    expect((e as Error).message.split("\n")).to.have.length(1);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe("service settings (ZK_*): one schema", function () {
  it("gives every setting its default when unset or empty", function () {
    const s = parseServiceSettings({ ZK_MAX_WAIT: "", PATH: "/usr/bin" });
    expect(s).to.include({
      ZK_MAX_WAIT: 120,
      ZK_BODY_LIMIT: 1 << 20,
      ZK_RATE_LIMIT: 60,
      ZK_AUTH_FAILURE_LIMIT: 10,
      ZK_ATTESTATION_TTL: 3600,
    });
    expect(s.ZK_CORS_ORIGINS).to.deep.equal([]);
    expect(s.ZK_REDIS_URL).to.equal(undefined);
  });

  it("reads numbers, lists and switches", function () {
    const s = parseServiceSettings({
      ZK_MAX_WAIT: "30",
      ZK_CORS_ORIGINS: "http://127.0.0.1:5173, http://[::1]:5173",
      ZK_GATE: "OFF",
      ZK_LOG: "1",
    });
    expect(s.ZK_MAX_WAIT).to.equal(30);
    expect(s.ZK_CORS_ORIGINS).to.deep.equal(["http://127.0.0.1:5173", "http://[::1]:5173"]);
    expect(s.ZK_GATE).to.equal("off");
    expect(s.ZK_LOG).to.equal("1");
  });

  it("names the variable and the value it refuses, in one line", function () {
    expect(refusal({ ZK_MAX_WAIT: "soon" })).to.equal('ZK_MAX_WAIT must be a whole number >= 0, got "soon"');
    expect(refusal({ ZK_BODY_LIMIT: "12" })).to.equal('ZK_BODY_LIMIT must be a whole number >= 1024, got "12"');
    expect(refusal({ ZK_GATE: "maybe" })).to.equal('ZK_GATE must be on or off, got "maybe"');
    expect(refusal({ ZK_GATE_MAX_FLATNESS: "lots" })).to.equal('ZK_GATE_MAX_FLATNESS must be a number, got "lots"');
    expect(refusal({ ZK_TRUST_PROXY: "127.0.0.1, proxy" })).to.match(/^ZK_TRUST_PROXY: "proxy" is not an IP address or CIDR range/);
    expect(refusal({ ZK_LOG: "yes" })).to.match(/ZK_LOG must be 1 \(log requests\) or 0, got "yes"/);
    expect(refusal({ ZK_PAGE_ORIGINS: "http://127.0.0.1:5173/app" })).to.match(
      /^ZK_PAGE_ORIGINS: "http:\/\/127.0.0.1:5173\/app" is not an origin/,
    );
    expect(refusal({ ZK_RELAYER_BUDGET_WEI: "0.05" })).to.equal(
      'ZK_RELAYER_BUDGET_WEI must be an amount in wei (a whole number), got "0.05"',
    );
    expect(refusal({ ZK_RELAYER_KEY: "0x1234" })).to.match(
      /^ZK_RELAYER_KEY must be the relayer account's private key: 0x \+ 64 hex digits/,
    );
    expect(refusal({ ZK_PAGE_SESSION_TTL: "5" })).to.equal('ZK_PAGE_SESSION_TTL must be a whole number >= 60, got "5"');
  });

  it("the page's settings: on by default with its limits, off with ZK_PAGE=0; the relayer's budget in wei", function () {
    const s = parseServiceSettings({ ZK_PAGE_ORIGINS: "http://127.0.0.1:5173", ZK_RELAYER_BUDGET_WEI: "123000000000000000000" });
    expect(s).to.include({ ZK_PAGE_SESSIONS_PER_HOUR: 20, ZK_PAGE_SESSION_PROOFS: 5, ZK_PAGE_SESSION_TTL: 900 });
    expect(s.ZK_PAGE_ORIGINS).to.deep.equal(["http://127.0.0.1:5173"]);
    expect(s.ZK_RELAYER_BUDGET_WEI).to.equal(123n * 10n ** 18n);
    expect(parseServiceSettings({}).ZK_RELAYER_BUDGET_WEI).to.equal(5n * 10n ** 16n);
    expect(parseServiceSettings({ ZK_PAGE: "0" }).ZK_PAGE).to.equal("0");
  });

  it("resolves the page: ZK_WEB_DIR against the project root, nothing with ZK_PAGE=0", function () {
    const root = hre.config.paths.root;
    const on = resolveServiceConfig(root, hre.config.zk, {}, { ZK_WEB_DIR: "site/dist", ZK_PAGE_SESSION_PROOFS: "2" });
    expect(on.page).to.deep.include({ webDir: path.join(root, "site", "dist"), proofsPerSession: 2, sessionsPerHour: 20, ttlSeconds: 900 });
    expect(resolveServiceConfig(root, hre.config.zk, {}, { ZK_PAGE: "0" }).page).to.equal(undefined);
  });
});
