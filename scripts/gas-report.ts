/**
 * Prints the gas table: verifyProof alone, a reward claim in open and in attested mode (and
 * each one's overhead over verifyProof, against the targets), an attested record, and the
 * deployments. Proofs come from the WASM prover (cached under artifacts-zk/).
 *
 *   npx hardhat run scripts/gas-report.ts          (after `npm run setup`)
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Interface, ZeroAddress, parseEther, type ContractTransactionResponse } from "ethers";
import hre, { network } from "hardhat";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { generateAttester } from "@hardhat-zkml/core/pipeline/generate-attester.js";
import { generateVerifier } from "@hardhat-zkml/core/pipeline/generate-verifier.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import { signAttestation } from "@hardhat-zkml/core/reward/attestation.js";
import { provenKey, readRewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import { rewardCommitment, rewardLayout, thresholdFelt } from "@hardhat-zkml/core/reward/layout.js";
import { compileGenerated } from "../tasks/lib/compile-generated.js";

const root = hre.config.paths.root;
const ctx: BuildContext = {
  root,
  artifactsDir: hre.config.zk.artifactsDir,
  generatedContractsDir: hre.config.zk.generatedContractsDir,
  log: () => {},
};
const withTutorialSize = process.env.GAS_SKIP_LARGE === undefined;
for (const name of ["voiceJudgeSmall", "fraudScore", ...(withTutorialSize ? ["voiceJudge"] : [])]) {
  const model = hre.config.zk.models[name]!;
  await setupCircuit(model, ctx);
  await generateVerifier(model, ctx);
  if (model.attest) await generateAttester(model, ctx);
}
await compileGenerated(hre);

const { ethers } = await network.create();
const [owner, alice, bot, attesterKey] = await ethers.getSigners();
const rows: [string, bigint][] = [];
const gasOf = async (label: string, tx: Promise<ContractTransactionResponse> | ContractTransactionResponse) => {
  const receipt = (await (await tx).wait())!;
  rows.push([label, receipt.gasUsed]);
  return receipt.gasUsed;
};
const deploy = async (label: string, name: string, args: unknown[] = []) => {
  const c = await ethers.deployContract(name, args);
  rows.push([`deploy ${label}`, (await c.deploymentTransaction()!.wait())!.gasUsed]);
  return c;
};

// Judgment reward on voiceJudgeSmall.
const judgeModel = hre.config.zk.models.voiceJudgeSmall!;
const judge = await ModelProver.open(root, ctx.artifactsDir, judgeModel);
const x = JSON.parse(await readFile(path.join(root, "models/voiceJudgeSmall/samples.json"), "utf8"))["0.95"] as number[];
const verifier = await deploy("VoiceJudgeSmallVerifier", "VoiceJudgeSmallVerifier");
const layout = rewardLayout(judgeModel, judge.files.manifest);
const commitment = rewardCommitment(judgeModel, judge.files.manifest);
const deal = { threshold: thresholdFelt(0.5, layout), rewardAmount: parseEther("1"), roundCap: parseEther("5") };
const rewardFor = async (label: string, attesterAddress: string) => {
  const reward = await deploy(label, "JudgmentReward", [
    await verifier.getAddress(),
    ZeroAddress,
    layout,
    commitment,
    attesterAddress,
    true,
    deal,
    3600n,
  ]);
  await owner!.sendTransaction({ to: await reward.getAddress(), value: parseEther("5") });
  const terms = await readRewardTerms(reward);
  return { reward, terms, proof: await cachedProof(judge, ctx.artifactsDir, [x], provenKey(terms, alice!.address)) };
};
const open = await rewardFor("JudgmentReward (open mode)", ZeroAddress);
const attested = await rewardFor("JudgmentReward (attested mode)", attesterKey!.address);
const verifyAlone = await gasOf(
  "verifyProof alone (voiceJudgeSmall)",
  verifier.getFunction("verifyProof")(open.proof.args.proof, open.proof.args.instances),
);
const claimOpen = await gasOf(
  "claim, open mode (verify + checks + payout)",
  open.reward.connect(bot!).getFunction("claim")(alice!.address, open.proof.args.proof, open.proof.args.instances, deal.rewardAmount),
);
const signed = await signAttestation(attesterKey!, attested.terms.chainId, attested.terms.address, {
  commitment: await attested.reward.getFunction("commitmentOf")(attested.proof.args.proof, attested.proof.args.instances),
  recipient: alice!.address,
  round: 0n,
  deadline: BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n,
});
const claimAttested = await gasOf(
  "claimAttested, attested mode (+ EIP-712 signature check)",
  attested.reward.connect(bot!).getFunction("claimAttested")(
    alice!.address,
    attested.proof.args.proof,
    attested.proof.args.instances,
    deal.rewardAmount,
    signed.deadline,
    signed.signature,
  ),
);
await judge.close();

// Data-attested record on fraudScore.
const fraudModel = hre.config.zk.models.fraudScore!;
const fraud = await ModelProver.open(root, ctx.artifactsDir, fraudModel);
const fproof = await cachedProof(fraud, ctx.artifactsDir, [[1.5, 2, 35, 3]]);
const source = await deploy("TransactionFeatures", "TransactionFeatures", [[parseEther("1.5"), 2n, 35n, 3n]]);
const fverifier = await deploy("FraudScoreVerifier", "FraudScoreVerifier");
const a = fraud.files.manifest.attester!;
const callData = new Interface(["function features() view returns (int256[])"]).encodeFunctionData("features");
const attester = await deploy("FraudScoreDataAttester", "FraudScoreDataAttester", [
  await source.getAddress(),
  callData,
  a.decimals,
  a.bits,
  a.instanceOffset,
]);
const registry = await deploy("AttestedScoreRegistry", "AttestedScoreRegistry", [
  await attester.getAddress(),
  await fverifier.getAddress(),
  4,
]);
await gasOf("verifyProof alone (fraudScore)", fverifier.getFunction("verifyProof")(fproof.args.proof, fproof.args.instances));
await gasOf("attested record (attester + verify)", registry.getFunction("record")(fproof.calldata));
await fraud.close();

// The tutorial-size judge through the reusable verifier + VK artifact (proof cached after the first run).
if (withTutorialSize) {
  const big = await ModelProver.open(root, ctx.artifactsDir, hre.config.zk.models.voiceJudge!);
  const bx = JSON.parse(await readFile(path.join(root, "models/voiceJudge/samples.json"), "utf8"))["0.95"] as number[];
  const bproof = await cachedProof(big, ctx.artifactsDir, [bx], alice!.address);
  const reusable = await deploy("VoiceJudgeReusableVerifier", "VoiceJudgeReusableVerifier");
  const vka = await deploy("VoiceJudgeVerifyingKey (VK artifact)", "VoiceJudgeVerifyingKey");
  await gasOf(
    "verifyProof via reusable verifier (voiceJudge, tutorial size)",
    reusable.getFunction("verifyProof")(await vka.getAddress(), bproof.args.proof, bproof.args.instances),
  );
  await big.close();
}

const table = [
  "| operation | gas |",
  "| --- | ---: |",
  ...rows.map(([label, gas]) => `| ${label} | ${gas.toLocaleString("en-US")} |`),
].join("\n");
const overhead = [
  "| claim overhead over verifyProof alone | gas | target | met |",
  "| --- | ---: | ---: | --- |",
  ...(
    [
      ["open mode (claim)", claimOpen - verifyAlone, 60_000n],
      ["attested mode (claimAttested)", claimAttested - verifyAlone, 80_000n],
    ] as const
  ).map(
    ([mode, gas, target]) =>
      `| ${mode} | ${gas.toLocaleString("en-US")} | <= ${target.toLocaleString("en-US")} | ${gas <= target ? "yes" : "no"} |`,
  ),
].join("\n");
console.log(table + "\n\n" + overhead);
if (process.env.GAS_REPORT_OUT) {
  await writeFile(
    process.env.GAS_REPORT_OUT,
    `# Gas (Hardhat simulated network, osaka, solc 0.8.20 optimizer 200 runs)\n\nMade by \`GAS_REPORT_OUT=bench/gas.md npx hardhat run scripts/gas-report.ts\` on ${new Date().toISOString().slice(0, 10)}.\n` +
      "Both claims pay a recipient that already holds ETH, on a domain-bound reward, the first claim of its round; " +
      "the overhead is the claim transaction's gas minus a direct verifyProof transaction with the same proof " +
      "(so it includes the extra calldata, the call into the verifier and the payout).\n" +
      (withTutorialSize ? "" : "The tutorial-size judge (voiceJudge) was skipped (GAS_SKIP_LARGE).\n") +
      "\n" +
      `${table}\n\n${overhead}\n`,
  );
}
