import { expect } from "chai";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  callbackAddressRefusal,
  CallbackRefused,
  callbackUrlRefusal,
  parseCallbackAllow,
  PUBLIC_ONLY,
} from "@hardhat-zkml/server/callback-targets.js";
import { deliverCallback, postOnce, type CallbackPolicy } from "@hardhat-zkml/server/callbacks.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { buildModel } from "../helpers/fixtures.js";
import { ALICE, bearer, createKey, judgeFeatures, removeDir, testServiceConfig } from "../helpers/service.js";

/** A receiver on a loopback address that records every request it gets. */
async function loopbackReceiver(
  host: "127.0.0.1" | "::1",
  answer: (req: IncomingMessage) => [number, Record<string, string>?] = () => [204],
) {
  const seen: { url: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", body });
      const [status, headers] = answer(req);
      res.writeHead(status, headers).end();
    });
  });
  server.listen(0, host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const origin = host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  return { seen, port, origin, close: () => new Promise((r) => server.close(r)) };
}

const policy = (allow = PUBLIC_ONLY): CallbackPolicy => ({ attempts: 3, baseDelayMs: 1000, timeoutMs: 5000, allow });

describe("callback targets: the address policy (pure, no network)", function () {
  // Addresses only: nothing here is connected to.
  const refused: [string, RegExp][] = [
    ["127.0.0.1", /loopback/],
    ["127.8.9.10", /loopback/],
    ["10.1.2.3", /private/],
    ["172.16.5.4", /private/],
    ["192.168.1.1", /private/],
    ["169.254.169.254", /link-local/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["0.0.0.0", /unspecified/],
    ["224.0.0.251", /multicast/],
    ["255.255.255.255", /broadcast/],
    ["::1", /loopback/],
    ["::", /unspecified/],
    ["fe80::1", /link-local/],
    ["fd12:3456::1", /unique local/],
    ["ff02::1", /multicast/],
    ["::ffff:127.0.0.1", /loopback/],
    ["::ffff:10.0.0.1", /private/],
    ["::ffff:169.254.169.254", /link-local/],
    ["64:ff9b::a00:1", /special-purpose/],
    ["2002:a00:1::1", /special-purpose/],
    ["not-an-ip", /not an IP address/],
  ];
  for (const [address, why] of refused) {
    it(`refuses ${address}`, function () {
      expect(callbackAddressRefusal(address)).to.match(why);
    });
  }

  it("accepts global unicast addresses, IPv4 and IPv6 (and IPv4-mapped)", function () {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.4.4"]) {
      expect(callbackAddressRefusal(address), address).to.equal(undefined);
    }
  });

  it("ZK_CALLBACK_ALLOW lets listed ranges and addresses through, and nothing next to them", function () {
    const allow = parseCallbackAllow("127.0.0.1/32, [::1], 10.20.0.0/16, hooks.internal");
    expect(callbackAddressRefusal("127.0.0.1", allow)).to.equal(undefined);
    expect(callbackAddressRefusal("::ffff:127.0.0.1", allow)).to.equal(undefined); // mapped: judged as 127.0.0.1
    expect(callbackAddressRefusal("::1", allow)).to.equal(undefined);
    expect(callbackAddressRefusal("10.20.255.1", allow)).to.equal(undefined);
    expect(callbackAddressRefusal("127.0.0.2", allow)).to.match(/loopback/);
    expect(callbackAddressRefusal("10.21.0.1", allow)).to.match(/private/);
    expect(allow.hosts.has("hooks.internal")).to.equal(true);
    expect(() => parseCallbackAllow("10.0.0.0/33")).to.throw('ZK_CALLBACK_ALLOW: "10.0.0.0/33" is not a CIDR range');
    expect(() => parseCallbackAllow("hooks_internal!")).to.throw(/is not a host name, an IP address or a CIDR range/);
  });

  it("checks every address a host name resolves to, unless the name itself is allowed", async function () {
    // A stand-in resolver: the names below are never looked up for real.
    const resolver = (table: Record<string, string[]>) => async (host: string) =>
      (table[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    const resolve = resolver({ "mixed.test": ["8.8.8.8", "10.0.0.7"], "public.test": ["8.8.8.8", "2606:4700:4700::1111"] });
    expect(await callbackUrlRefusal("https://mixed.test/hook", PUBLIC_ONLY, resolve)).to.equal(
      "host mixed.test resolves to 10.0.0.7, a private address",
    );
    expect(await callbackUrlRefusal("https://public.test/hook", PUBLIC_ONLY, resolve)).to.equal(undefined);
    expect(await callbackUrlRefusal("https://nowhere.test/hook", PUBLIC_ONLY, resolve)).to.match(/does not resolve/);
    const named = parseCallbackAllow("mixed.test");
    expect(await callbackUrlRefusal("https://MIXED.test/hook", named, resolve)).to.equal(undefined);
    expect(await callbackUrlRefusal("http://[::1]:1/hook", PUBLIC_ONLY, resolve)).to.match(/::1 is a loopback address/);
    expect(await callbackUrlRefusal("ftp://public.test/hook", PUBLIC_ONLY, resolve)).to.match(/not an http\(s\) URL/);
    expect(await callbackUrlRefusal("https://u:p@public.test/hook", PUBLIC_ONLY, resolve)).to.match(/credentials/);
  });
});

describe("callback targets: delivery (loopback receivers only)", function () {
  it("refuses a loopback receiver at connect time, by address and by name, and sends it nothing", async function () {
    for (const host of ["127.0.0.1", "::1"] as const) {
      const receiver = await loopbackReceiver(host);
      try {
        let error: Error | undefined;
        await postOnce(`${receiver.origin}/hook`, "{}", "s3cret", 1, policy()).catch((e: Error) => (error = e));
        expect(error, host).to.be.instanceOf(CallbackRefused);
        expect(error!.message).to.match(/loopback address/);
        if (host === "127.0.0.1") {
          // A name is resolved as the connection is made; its loopback address is refused there.
          error = undefined;
          await postOnce(`http://localhost:${receiver.port}/hook`, "{}", "s3cret", 1, policy()).catch((e: Error) => (error = e));
          expect(error).to.be.instanceOf(CallbackRefused);
          expect(error!.message).to.match(/^callback refused: host localhost resolves to 127\.0\.0\.1, a loopback address$/);
        }
        expect(receiver.seen).to.have.length(0);
      } finally {
        await receiver.close();
      }
    }
  });

  it("does not retry a refused target, delivers to an allowed one, and follows no redirect", async function () {
    const receiver = await loopbackReceiver("127.0.0.1", (req) =>
      req.url === "/moved" ? [302, { location: `http://127.0.0.1:${req.socket.localPort}/elsewhere` }] : [204],
    );
    try {
      const started = Date.now();
      let error: Error | undefined;
      await deliverCallback(`${receiver.origin}/hook`, { id: "j1" }, "s3cret", policy()).catch((e: Error) => (error = e));
      expect(error).to.be.instanceOf(CallbackRefused);
      expect(Date.now() - started).to.be.below(900); // no backoff: the first retry would wait 1 s
      expect(receiver.seen).to.have.length(0);

      const allow = parseCallbackAllow("127.0.0.1/32");
      expect(await deliverCallback(`${receiver.origin}/hook`, { id: "j1" }, "s3cret", policy(allow))).to.equal(1);
      expect(receiver.seen).to.deep.equal([{ url: "/hook", body: '{"id":"j1"}' }]);

      expect(await postOnce(`${receiver.origin}/moved`, "{}", "s3cret", 1, policy(allow))).to.equal("HTTP 302");
      expect(receiver.seen.map((s) => s.url)).to.deep.equal(["/hook", "/moved"]); // /elsewhere never asked
    } finally {
      await receiver.close();
    }
  });
});

describe("callback targets: submission (loopback receivers only)", function () {
  let config: ServiceConfig;
  let service: RunningService;
  let token: string;
  before(async function () {
    await buildModel("voiceJudgeSmall");
    config = await testServiceConfig(["voiceJudgeSmall"], { ZK_CALLBACK_SECRET: "s3cret" }, { concurrency: 1 });
    token = createKey(config.dataDir);
    service = await startService(config);
  });
  after(async function () {
    await service?.close();
    await removeDir(config.dataDir);
  });

  it("answers 400 for a callbackUrl on a loopback receiver that is not allowed; the receiver hears nothing", async function () {
    const v4 = await loopbackReceiver("127.0.0.1");
    const v6 = await loopbackReceiver("::1");
    try {
      const features = await judgeFeatures();
      for (const callbackUrl of [`${v4.origin}/hook`, `http://localhost:${v4.port}/hook`, `${v6.origin}/hook`]) {
        const res = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs`, {
          method: "POST",
          headers: { ...bearer(token), "content-type": "application/json" },
          body: JSON.stringify({ features, prover: ALICE, callbackUrl }),
        });
        expect(res.status, callbackUrl).to.equal(400);
        expect(((await res.json()) as { detail: string }).detail).to.match(
          /^callbackUrl refused: .*loopback address; callbacks go to public/,
        );
      }
      expect((await service.queue.depth()).queued).to.equal(0); // nothing was queued
      expect(v4.seen).to.have.length(0);
      expect(v6.seen).to.have.length(0);
    } finally {
      await v4.close();
      await v6.close();
    }
  });
});
