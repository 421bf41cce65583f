/**
 * The end-to-end demo on Hardhat's embedded chain:
 *   build the voiceJudge circuit with ezkl (features committed with polycommit), generate its
 *   Solidity verifier, deploy a funded JudgmentReward in attested mode, let the attester
 *   (account C) sign the commitment of a real recording for account A, prove the judgment in
 *   WASM and claim (A is paid); then a bot B replays A's claim (rejected, B gains nothing),
 *   and B proves the recording one step louder (it still passes the judge) and claims it without an
 *   attestation (rejected: the attester never heard it).
 *
 *   npm run demo                               (after `npm run setup`)
 *   ZK_DEMO_MODEL=voiceJudge npm run demo      (the tutorial-size judge, ~2 min to prove)
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatEther } from "ethers";
import hre, { network } from "hardhat";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { proveAndClaim } from "../tasks/lib/deploy/claim-reward.js";
import { deployJudgeReward } from "../tasks/lib/deploy/deploy-reward.js";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { generateVerifier } from "@hardhat-zkml/core/pipeline/generate-verifier.js";
import type { ZkModelName } from "../tasks/types.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { expectedProofMs, keysIdentity, recordProofTime } from "@hardhat-zkml/core/manifest.js";
import { withProgress } from "@hardhat-zkml/core/progress.js";
import { proveForReward, readRewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import { compileGenerated } from "../tasks/lib/compile-generated.js";

const MODEL = process.env.ZK_DEMO_MODEL ?? "voiceJudgeSmall";
const root = hre.config.paths.root;
const model = hre.config.zk.models[MODEL];
if (model === undefined) throw new Error(`unknown model ${MODEL}; configured: ${Object.keys(hre.config.zk.models).join(", ")}`);
const ctx: BuildContext = {
  root,
  artifactsDir: hre.config.zk.artifactsDir,
  generatedContractsDir: hre.config.zk.generatedContractsDir,
  log: (line) => console.log(line),
};
const timings: [string, number][] = [];
async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  console.log(`\n== ${label}`);
  const t = performance.now();
  const out = await fn();
  timings.push([label, (performance.now() - t) / 1000]);
  return out;
}

await step("circuit: settings, calibrate, compile, SRS, keys (Python ezkl)", () => setupCircuit(model, ctx));
await step("Solidity verifier (ezkl, offline solc 0.8.20) + hardhat build", async () => {
  await generateVerifier(model, ctx);
  await compileGenerated(hre);
});

const connection = await network.create();
const { ethers } = connection;
const [, alice, bot, attester] = await ethers.getSigners();
// The typed API every connection carries (`zk`), as a user's own scripts and tests use it.
const judge = await connection.zk.model(MODEL as ZkModelName).judge();
const deployed = await step("deploy verifier + attested JudgmentReward (Ignition), fund 1 ETH", () =>
  deployJudgeReward(connection, hre.artifacts, model, judge.prover.files.manifest, {
    threshold: 0.5,
    rewardEth: "0.1",
    fundEth: "1",
    domainBound: true,
    attester: attester!.address,
    allowInsecureSrs: false,
    local: true,
  }),
);
const voice = JSON.parse(await readFile(path.join(root, "models", MODEL, "samples.json"), "utf8"))["0.95"] as number[];

const aliceBefore = await ethers.provider.getBalance(alice!.address);
const manifest = judge.prover.files.manifest;
const claim = await step(`attester C signs the recording's commitment for A (${alice!.address}); A proves in WASM and claims`, () =>
  proveAndClaim(connection, judge, deployed.reward, alice!, voice, {
    attester: attester!,
    proving: (prove) => withProgress("proving in WASM", expectedProofMs(manifest), prove),
  }),
);
await recordProofTime(modelArtifacts(ctx.artifactsDir, MODEL).manifest, keysIdentity(manifest), claim.proved.proveMs!);
const aliceGain = (await ethers.provider.getBalance(alice!.address)) - aliceBefore;

const reward = await ethers.getContractAt("JudgmentReward", deployed.reward, bot!);
const botBefore = await ethers.provider.getBalance(bot!.address);
const outcome = async (send: () => Promise<unknown>): Promise<string> => {
  try {
    await send();
    return "ACCEPTED (unexpected)";
  } catch (e) {
    const parsed = reward.interface.parseError((e as { data?: string }).data ?? "0x");
    return `rejected: ${parsed ? `${parsed.name}(${parsed.args.join(", ")})` : (e as Error).message.split("\n")[0]}`;
  }
};
const a = claim.attestation!;
const replay = await step(`bot B (${bot!.address}) replays A's claim`, () =>
  outcome(() => reward.claimAttested(alice!.address, claim.proved.args.proof, claim.proved.args.instances, 0n, a.deadline, a.signature)),
);
const terms = await readRewardTerms(reward);
const doubled = await step("B proves the recording one step louder (a crafted input) and claims it unattested", async () => {
  const proved = await proveForReward(
    judge,
    terms,
    bot!.address,
    voice.map((v) => Math.min(1, v + 1 / 128)),
  );
  const result = await outcome(() => reward.claimAttested(bot!.address, proved.args.proof, proved.args.instances, 0n, a.deadline, "0x"));
  return { score: proved.judgment.score, result };
});
const botGain = (await ethers.provider.getBalance(bot!.address)) - botBefore;
await connection.zk.close();

const j = claim.proved.judgment;
const deployGas = deployed.transactions.reduce((sum, t) => sum + t.gasUsed, 0n);
console.log(`
Demo summary (${MODEL}, circuit logrows ${judge.prover.files.manifest.circuit!.logrows}, dev SRS: local chains only)
  judgment proved in WASM: score ${j.score.toFixed(4)} for ${j.recipient} (proof ${(claim.proved.proveMs! / 1000).toFixed(1)} s)
  A claimed: tx ${claim.txHash}, gas ${claim.gasUsed}; A's balance ${aliceGain >= 0n ? "+" : ""}${formatEther(aliceGain)} ETH (reward 0.1 minus gas)
  attestation: commitment ${a.commitment} (kzgCommit of the features), round ${a.round}, signed by C ${attester!.address}
  B replayed A's claim: ${replay}
  B's crafted-input proof (score ${doubled.score.toFixed(4)}) without an attestation: ${doubled.result}
  B's balance change ${formatEther(botGain)} ETH
  deployment: verifier ${deployed.verifier}, reward ${deployed.reward}, ${deployed.transactions.length} txs, ${deployGas} gas
  timings:
${timings.map(([l, s]) => `    ${l.padEnd(68)} ${s.toFixed(2)} s`).join("\n")}`);
if (!replay.startsWith("rejected") || !doubled.result.startsWith("rejected") || botGain > 0n || claim.paid <= 0n) process.exitCode = 1;
