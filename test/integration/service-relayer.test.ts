import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Wallet, toQuantity } from "ethers";
import hre, { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { relayerSpendFile, type ServiceConfig } from "@hardhat-zkml/server/options.js";
import type { HttpProblem } from "@hardhat-zkml/server/problem.js";
import { ClaimRelayer, claimOfJob, type RelayedClaim } from "@hardhat-zkml/server/relayer.js";
import { SqliteSpendLedger } from "@hardhat-zkml/server/relayer-spend.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { chainRelayer } from "../../tasks/lib/relayer.js";
import { chainRewardSource } from "../../tasks/lib/reward-source.js";
import { buildModel } from "../helpers/fixtures.js";
import { freePort } from "../helpers/ports.js";
import { spawnHardhat, stop, type Spawned } from "../helpers/processes.js";
import { ATTESTER_KEY, deployRewardFixture, FUND, hardhatAccountKey, MODEL, REWARD } from "../helpers/reward-fixture.js";
import { removeDir, testServiceConfig } from "../helpers/service.js";

/** Two takes: a judgment is paid once per recording (its features' commitment), whoever claims it. */
const RECORDINGS = ["speech-22050-s16.wav", "speech-44100-s16.wav"].map((f) =>
  path.join(hre.config.paths.root, "test", "fixtures", "audio", f),
);
const RELAYER_KEY = hardhatAccountKey(5);
const BUDGET = 10n ** 17n;

interface Problem {
  type: string;
  title: string;
  detail: string;
}

describe("relayed claims (POST /v1/jobs/{id}/claim) against a real `hardhat node`", function () {
  let node: Spawned | undefined;
  let connection: NetworkConnection<string>;
  let config: ServiceConfig;
  let service: RunningService;
  let rewardAddress: string;
  let token: string;
  let takes: Buffer[];
  /** The second test's job, judged but not paid. */
  let unclaimed: { id: string; recipient: string };
  const relayer = new Wallet(RELAYER_KEY).address;

  before(async function () {
    await buildModel(MODEL);
    const port = await freePort();
    node = spawnHardhat(["node", "--hostname", "127.0.0.1", "--port", String(port)]);
    await node.waitFor(/Started HTTP and WebSocket JSON-RPC server/);
    connection = await network.create({ network: "localhost", override: { url: `http://127.0.0.1:${port}` } });
    const fx = await deployRewardFixture({ connection, threshold: 0 });
    rewardAddress = await (await fx.deployReward({ attester: fx.attester.address, threshold: 0 })).getAddress();
    config = await testServiceConfig([MODEL], { ZK_ATTESTER_KEY: ATTESTER_KEY, ZK_RELAYER_BUDGET_WEI: String(BUDGET) }, { concurrency: 1 });
    config.reward = rewardAddress;
    takes = await Promise.all(RECORDINGS.map((f) => readFile(f)));
    service = await startService(config, {
      extractFeatures,
      reward: await chainRewardSource(connection, rewardAddress, MODEL),
      relayer: await chainRelayer(connection, hre.artifacts, RELAYER_KEY),
    });
    const opened = await fetch(`${service.url}/v1/page-sessions`, {
      method: "POST",
      headers: { origin: service.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(opened.status).to.equal(201);
    token = ((await opened.json()) as { token: string }).token;
  });
  after(async function () {
    await service?.close();
    if (config) await removeDir(config.dataDir);
    await stop(node);
  });

  const page = () => ({ authorization: `Bearer ${token}`, origin: service.url });
  const balance = (address: string) => connection.ethers.provider.getBalance(address);
  /**
   * The page's flow: the recording for `recipient`, queued (and attested) by the service, then
   * followed through GET /v1/jobs/{id}/events read with fetch; returns the job id and the statuses and stages seen.
   */
  const judged = async (recipient: string, take: number): Promise<{ id: string; seen: string[]; stages: string[] }> => {
    const form = new FormData();
    form.set("address", recipient);
    form.set("audio", new Blob([new Uint8Array(takes[take]!)], { type: "audio/wav" }), "take.wav");
    const res = await fetch(`${service.url}/v1/models/${MODEL}/proofs`, { method: "POST", headers: page(), body: form });
    expect(res.status, await res.clone().text()).to.equal(202);
    const { id } = (await res.json()) as { id: string };
    const events = await fetch(`${service.url}/v1/jobs/${id}/events`, { headers: page() });
    expect(events.headers.get("content-type")).to.match(/^text\/event-stream/);
    const text = await events.text(); // the stream ends once the job has finished
    const jobs = text
      .split("\n\n")
      .filter((block) => block.startsWith("event: job\n"))
      .map((block) => JSON.parse(block.slice(block.indexOf("data: ") + 6)) as { status: string; stage?: string; stages?: object });
    const seen = jobs.map((job) => (job.stage === undefined ? job.status : `${job.status}:${job.stage}`));
    expect(seen.at(-1)).to.equal("succeeded");
    return { id, seen, stages: Object.keys(jobs.at(-1)!.stages ?? {}) };
  };
  const claim = (id: string) =>
    fetch(`${service.url}/v1/jobs/${id}/claim`, {
      method: "POST",
      headers: { ...page(), "content-type": "application/json" },
      body: JSON.stringify({ via: "relayer" }),
    });
  const setBalance = (address: string, wei: bigint) =>
    connection.provider.request({ method: "hardhat_setBalance", params: [address, toQuantity(wei)] });

  it("pays the recipient exactly the reward while the relayer pays the gas; the same claim sent twice at once is paid once, then 409 already paid", async function () {
    const recipient = Wallet.createRandom().address;
    const { id, seen, stages } = await judged(recipient, 0);
    // Each event is a new status or stage, in the job's order; a stage shorter than the poll
    // interval may show only in the last event's `stages`, which has them all.
    const order = ["queued", "running", "running:features", "running:witness", "running:proving", "running:verifying", "succeeded"];
    const at = seen.map((s) => order.indexOf(s));
    expect(at).to.deep.equal([...new Set(at)].sort((a, b) => a - b));
    expect(at).to.not.include(-1);
    expect(seen).to.include.members(["running:features", "running:proving", "succeeded"]);
    expect(stages).to.deep.equal(["features", "witness", "proving", "verifying"]);
    const relayerBefore = await balance(relayer);
    const answers = await Promise.all([claim(id), claim(id)]);
    expect(answers.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const paid = (await answers.find((r) => r.status === 200)!.json()) as RelayedClaim;
    const refused = (await answers.find((r) => r.status === 409)!.json()) as Problem;
    expect(refused).to.include({ type: "urn:hardhat-zkml:problem/already-paid", title: "already paid" });
    expect(refused.detail).to.equal("this recording's judgment was already paid; there is nothing more to claim");

    expect(paid.recipient).to.equal(recipient);
    expect(paid.amount).to.equal(REWARD.toString());
    expect(await balance(recipient)).to.equal(REWARD);
    expect(relayerBefore - (await balance(relayer))).to.equal(BigInt(paid.gasCostWei));
    const receipt = await connection.ethers.provider.getTransactionReceipt(paid.txHash);
    expect(receipt!.from).to.equal(relayer);
    expect(receipt!.blockNumber).to.equal(paid.blockNumber);
    expect(receipt!.gasUsed.toString()).to.equal(paid.gasUsed);

    const again = await claim(id);
    expect(again.status).to.equal(409);
    expect(((await again.json()) as Problem).title).to.equal("already paid");
    const ledger = new SqliteSpendLedger(relayerSpendFile(config.dataDir));
    try {
      expect(await ledger.spent(`${rewardAddress.toLowerCase()}:0`)).to.equal(BigInt(paid.gasCostWei));
    } finally {
      ledger.close();
    }
  });

  it("refuses without a transaction when the reward cannot pay (409 in words) or the round's gas budget is spent (429)", async function () {
    const recipient = Wallet.createRandom().address;
    const { id } = await judged(recipient, 1);
    unclaimed = { id, recipient };
    const relayerBefore = await balance(relayer);

    await setBalance(rewardAddress, REWARD / 2n);
    const poor = await claim(id);
    expect(poor.status).to.equal(409);
    const p = (await poor.json()) as Problem;
    expect(p.type).to.equal("urn:hardhat-zkml:problem/reward-cannot-pay");
    expect(p.detail).to.equal("the reward holds 0.5 ETH and pays 1.0 ETH; its owner must fund it");
    await setBalance(rewardAddress, FUND);

    const ledger = new SqliteSpendLedger(relayerSpendFile(config.dataDir));
    try {
      const bucket = `${rewardAddress.toLowerCase()}:0`;
      await ledger.add(bucket, BUDGET - (await ledger.spent(bucket)));
    } finally {
      ledger.close();
    }
    const spent = await claim(id);
    expect(spent.status).to.equal(429);
    const s = (await spent.json()) as Problem;
    expect(s.type).to.equal("urn:hardhat-zkml:problem/relayer-budget-spent");
    expect(s.detail).to.match(
      /^the relayer has spent its gas budget for round 0 of this reward \(100000000000000000 of 100000000000000000 wei\)/,
    );

    expect(await balance(recipient)).to.equal(0n);
    expect(await balance(relayer)).to.equal(relayerBefore);
  });

  it("a claim not confirmed in time is a 504 naming its transaction, its most possible cost counts against the budget, and it may still be mined", async function () {
    const ledger = new SqliteSpendLedger(":memory:");
    const signer = new Wallet(RELAYER_KEY, connection.ethers.provider);
    const { abi } = await hre.artifacts.readArtifact("JudgmentReward");
    const late = await ClaimRelayer.create({ signer, rewardAbi: abi, ledger, budgetWei: BUDGET, confirmTimeoutMs: 1000 });
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      let problem: HttpProblem | undefined;
      await late.relay(claimOfJob((await service.queue.get(unclaimed.id))!)).catch((e: HttpProblem) => (problem = e));
      expect(problem?.statusCode).to.equal(504);
      expect(problem?.type).to.equal("urn:hardhat-zkml:problem/claim-unconfirmed");
      const hash = /transaction (0x[0-9a-f]{64})/.exec(problem!.detail)![1]!;
      expect(await ledger.spent(`${rewardAddress.toLowerCase()}:0`)).to.be.greaterThan(0n);
      await connection.provider.request({ method: "evm_mine", params: [] });
      expect((await connection.ethers.provider.getTransactionReceipt(hash))!.status).to.equal(1);
      expect(await balance(unclaimed.recipient)).to.equal(REWARD);
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
      ledger.close();
    }
  });
});
