import { Interface, parseEther } from "ethers";
import { network } from "hardhat";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import { ctx, openProver } from "./fixtures.js";

export const FEATURES = [1.5, 2, 35, 3]; // amount (ETH), hour, merchant risk, tx in 24h
export const onChain = (f: number[]): [bigint, bigint, bigint, bigint] => [
  parseEther(String(f[0])),
  BigInt(f[1]!),
  BigInt(f[2]!),
  BigInt(f[3]!),
];

/** A fresh chain with fraudScore's features source, verifier, data attester and an AttestedScoreRegistry; a proof of FEATURES. */
export async function deployAttestedRegistry() {
  const prover = await openProver("fraudScore");
  const manifest = prover.files.manifest;
  const proof = await cachedProof(prover, ctx.artifactsDir, [FEATURES]);
  const { ethers } = await network.create();
  const source = await ethers.deployContract("TransactionFeatures", [onChain(FEATURES)]);
  const verifier = await ethers.deployContract("FraudScoreVerifier");
  const callData = new Interface(["function features() view returns (int256[])"]).encodeFunctionData("features");
  const a = manifest.attester!;
  const attester = await ethers.deployContract("FraudScoreDataAttester", [
    await source.getAddress(),
    callData,
    a.decimals,
    a.bits,
    a.instanceOffset,
  ]);
  const scoreIndex = manifest.instances!.findIndex((s) => s.source === "output");
  const registry = await ethers.deployContract("AttestedScoreRegistry", [
    await attester.getAddress(),
    await verifier.getAddress(),
    scoreIndex,
  ]);
  return { prover, manifest, proof, ethers, source, verifier, attester, scoreIndex, registry };
}
