import { expect } from "chai";
import { once } from "node:events";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { JobStore } from "@hardhat-zkml/server/job-store.js";
import { jobsFile } from "@hardhat-zkml/server/options.js";
import { buildModel } from "../helpers/fixtures.js";
import { spawnHardhat, stop, type Spawned } from "../helpers/processes.js";
import { ALICE, bearer, createKey, judgeFeatures, proveJsonAndWait, removeDir, testServiceConfig } from "../helpers/service.js";
import { callbackStateOf, waitFor } from "../helpers/wait.js";
import { startService } from "@hardhat-zkml/server/service.js";
import { DEFAULT_CALLBACK_POLICY } from "@hardhat-zkml/server/callbacks.js";

interface Job {
  id: string;
  status: string;
  attempts: number;
}

describe("proving service: restart of the embedded server", function () {
  let dataDir: string;
  let server: Spawned | undefined;
  after(async function () {
    await stop(server, "SIGKILL");
    await removeDir(dataDir);
  });

  const serve = async (): Promise<string> => {
    server = spawnHardhat(["zk", "serve", "--port", "0", "--concurrency", "1", "--data-dir", dataDir]);
    const [, url] = await server.waitFor(/ on (http:\/\/127\.0\.0\.1:\d+)/);
    return url!;
  };

  it("stopped with jobs queued and running, then restarted: every job completes, none twice", async function () {
    await buildModel("voiceJudgeSmall");
    dataDir = await mkdtemp(path.join(tmpdir(), "zk-restart-"));
    const token = createKey(dataDir);
    const features = await judgeFeatures();
    let url = await serve();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/v1/models/voiceJudgeSmall/proofs`, {
        method: "POST",
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({ features, prover: ALICE }),
      });
      expect(res.status).to.equal(202);
      ids.push(((await res.json()) as Job).id);
    }
    const view = async (id: string) => (await (await fetch(`${url}/v1/jobs/${id}`, { headers: bearer(token) })).json()) as Job;
    await waitFor("the first job to start", async () => (await view(ids[0]!)).status === "running", { intervalMs: 100 });
    expect((await view(ids[0]!)).status).to.equal("running");
    await stop(server, "SIGKILL"); // no chance to finish anything

    let store = new JobStore(jobsFile(dataDir));
    const before = ids.map((id) => store.get(id)!.status);
    store.close();
    expect(before).to.deep.equal(["running", "queued", "queued"]);

    url = await serve();
    for (const id of ids) {
      await waitFor(`job ${id} to finish`, async () => !["queued", "running"].includes((await view(id)).status), {
        timeoutMs: 300_000,
        intervalMs: 250,
      });
    }
    const after = await Promise.all(ids.map(view));
    expect(after.map((j) => j.status)).to.deep.equal(["succeeded", "succeeded", "succeeded"]);
    expect(after.map((j) => j.attempts)).to.deep.equal([2, 1, 1]); // only the interrupted job ran again
    await stop(server);
    store = new JobStore(jobsFile(dataDir));
    try {
      expect(ids.map((id) => store.completions(id))).to.deep.equal([1, 1, 1]);
    } finally {
      store.close();
    }
  });

  it("a callback still owed when the server stops is delivered after the restart", async function () {
    await buildModel("voiceJudgeSmall");
    let down = true;
    const deliveries: { status: number; at: number; body: { id: string; status: string } }[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        res.statusCode = down ? 503 : 204;
        deliveries.push({ status: res.statusCode, at: Date.now(), body: JSON.parse(body) as { id: string; status: string } });
        res.end();
      });
    });
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");
    const config = await testServiceConfig(
      ["voiceJudgeSmall"],
      { ZK_CALLBACK_SECRET: "s3cret", ZK_CALLBACK_ALLOW: "127.0.0.1/32" },
      { concurrency: 1 },
    );
    try {
      const token = createKey(config.dataDir);
      let service = await startService(config);
      const res = await proveJsonAndWait(service.url, token, {
        callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      });
      const { job } = (await res.json()) as { job: Job };
      expect(job.status).to.equal("succeeded");
      await waitFor("the first callback attempt", () => deliveries.length > 0, { timeoutMs: 10_000 });
      expect(deliveries.map((d) => d.status)).to.deep.equal([503]); // the receiver is down; a retry is due in 1 s
      const retryDueAt = deliveries[0]!.at + DEFAULT_CALLBACK_POLICY.baseDelayMs;
      await service.close();

      let store = new JobStore(jobsFile(config.dataDir));
      expect(store.callbackState(job.id).state).to.equal("pending");
      store.close();
      // Nothing to wait for here: past the time the retry was due, no attempt may have come.
      await sleep(Math.max(0, retryDueAt + 500 - Date.now()));
      expect(deliveries).to.have.length(1); // the stopped server retried nothing

      down = false;
      service = await startService(config);
      await waitFor("the callback to be recorded as delivered", () => callbackStateOf(config.dataDir, job.id) === "delivered", {
        timeoutMs: 10_000,
      });
      await service.close();
      expect(deliveries.map((d) => d.status)).to.deep.equal([503, 204]);
      expect(deliveries[1]!.body).to.include({ id: job.id, status: "succeeded" });
      store = new JobStore(jobsFile(config.dataDir));
      expect(store.callbackState(job.id).state).to.equal("delivered");
      store.close();
    } finally {
      receiver.close();
      await removeDir(config.dataDir);
    }
  });
});
