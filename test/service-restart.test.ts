import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { JobStore } from "../tasks/lib/service/job-store.js";
import { jobsFile } from "../tasks/lib/service/options.js";
import { buildModel } from "./helpers/fixtures.js";
import { spawnHardhat, stop, type Spawned } from "./helpers/processes.js";
import { ALICE, bearer, createKey, judgeFeatures, removeDir } from "./helpers/service.js";

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
    for (let i = 0; i < 120 && (await view(ids[0]!)).status !== "running"; i++) await sleep(250);
    expect((await view(ids[0]!)).status).to.equal("running");
    await stop(server, "SIGKILL"); // no chance to finish anything

    let store = new JobStore(jobsFile(dataDir));
    const before = ids.map((id) => store.get(id)!.status);
    store.close();
    expect(before).to.deep.equal(["running", "queued", "queued"]);

    url = await serve();
    for (const id of ids) {
      for (let i = 0; i < 600 && (await view(id)).status !== "succeeded"; i++) await sleep(500);
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
});
