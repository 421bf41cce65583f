import { expect } from "chai";
import { Wallet } from "ethers";
import { network } from "hardhat";
import type { Halo2VerifierContract } from "@hardhat-zkml/core/prover/verifier-contract.js";
import type { JobResult } from "@hardhat-zkml/server/job-types.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { buildModel } from "../helpers/fixtures.js";
import { bearer, createKey, judgeFeatures, removeDir, testServiceConfig } from "../helpers/service.js";

const SUBMISSIONS = 50;

describe("proving service: 50 concurrent submissions", function () {
  let config: ServiceConfig;
  let service: RunningService;
  before(async function () {
    await buildModel("voiceJudgeSmall");
    config = await testServiceConfig(["voiceJudgeSmall"]);
    service = await startService(config);
  });
  after(async function () {
    await service?.close();
    await removeDir(config.dataDir);
  });

  it("all complete, each for its own address, and every proof verifies on-chain", async function () {
    const token = createKey(config.dataDir, ["prove"], 10_000);
    const features = await judgeFeatures();
    const provers = Array.from({ length: SUBMISSIONS }, () => Wallet.createRandom().address);
    const submitted = await Promise.all(
      provers.map(async (prover) => {
        const res = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs`, {
          method: "POST",
          headers: { ...bearer(token), "content-type": "application/json" },
          body: JSON.stringify({ features, prover }),
        });
        expect(res.status).to.equal(202);
        return ((await res.json()) as { id: string }).id;
      }),
    );
    expect(new Set(submitted).size).to.equal(SUBMISSIONS);

    const results: JobResult[] = [];
    for (const id of submitted) {
      const job = await service.queue.waitUntilFinished(id, 20 * 60_000);
      expect(job?.status, `job ${id}: ${job?.error}`).to.equal("succeeded");
      const res = await fetch(`${service.url}/v1/jobs/${id}/result`, { headers: bearer(token) });
      results.push((await res.json()) as JobResult);
    }
    expect(results.map((r) => r.boundAddress)).to.deep.equal(provers);

    const { ethers } = await network.create();
    const verifier = (await ethers.deployContract("VoiceJudgeSmallVerifier")) as unknown as Halo2VerifierContract;
    for (const r of results) {
      expect(await verifier.verifyProof.staticCall(r.verifierArgs.proof, r.verifierArgs.instances.map(BigInt))).to.equal(true);
    }
  });
});
