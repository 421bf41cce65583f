import { readFile } from "node:fs/promises";
import type { BaseContract, Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { verifierNames } from "@hardhat-zkml/core/contract-names.js";
import type { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import type { ModelProver, ProofResult } from "@hardhat-zkml/core/prover/model-prover.js";
import type { Halo2VerifierContract } from "@hardhat-zkml/core/prover/verifier-contract.js";

export interface ProveOptions {
  /** The address bound into the proof (models with boundAddress): a signer, an address or a raw key. */
  prover?: Signer | string | bigint;
}

export interface DeployedVerifier {
  verifier: Halo2VerifierContract;
  /** The VK artifact contract of a "reusable" verifier. */
  verifyingKey?: BaseContract;
}

/** A proof as `prove` returns it, its JSON bytes, or the path of a `*.proof.json` file. */
export type ProofLike = ProofResult | Uint8Array | string;

/**
 * One model of `zk.models` on a network connection: prove in WASM, verify off-chain,
 * encode calldata and deploy its verifier. Built on ModelProver (artifacts are loaded
 * and hash-checked on first use) and closed with the connection.
 */
export class ZkModel<Inputs = number[][]> {
  #prover: Promise<ModelProver> | undefined;

  constructor(
    readonly config: ZkModelConfig,
    readonly root: string,
    readonly artifactsDir: string,
    readonly connection: NetworkConnection<string>,
  ) {}

  get name(): string {
    return this.config.name;
  }

  /** The underlying prover (artifacts loaded once per connection). */
  prover(): Promise<ModelProver> {
    if (this.#prover === undefined) {
      this.#prover = import("@hardhat-zkml/core/prover/model-prover.js").then(({ ModelProver }) =>
        ModelProver.open(this.root, this.artifactsDir, this.config),
      );
      this.#prover.catch(() => (this.#prover = undefined));
    }
    return this.#prover;
  }

  /** The judge view of a model with boundAddress: `proveJudgment(address, features)`. */
  async judge(): Promise<JudgeProver> {
    const { JudgeProver } = await import("@hardhat-zkml/core/prover/judge.js");
    return new JudgeProver(await this.prover());
  }

  /** Witness and proof in a worker thread; the result carries args, calldata and decoded instances. */
  async prove(inputs: Inputs, options: ProveOptions = {}): Promise<ProofResult> {
    const prover = await this.prover();
    const bound = typeof options.prover === "object" ? await options.prover.getAddress() : options.prover;
    return prover.prove(inputs as number[][], bound);
  }

  /** Off-chain verification in the WASM engine: true or false. */
  async verify(proof: ProofLike): Promise<boolean> {
    const prover = await this.prover();
    return prover.verify(await this.#proofJson(proof));
  }

  /** ABI-encoded `verifyProof` calldata (hex); pass the VK artifact's address for a reusable verifier. */
  async calldata(proof: ProofLike, options: { verifyingKey?: string } = {}): Promise<string> {
    const json = await this.#proofJson(proof);
    if (options.verifyingKey === undefined) return (await this.prover()).decode(json).calldata;
    const { engineCalldata } = await import("@hardhat-zkml/core/prover/engine-ops.js");
    return "0x" + Buffer.from(engineCalldata(json, options.verifyingKey)).toString("hex");
  }

  /** Deploys the generated verifier (and VK artifact) on this connection's network. */
  async deployVerifier(): Promise<DeployedVerifier> {
    const { ethers } = this.connection;
    if (ethers === undefined) throw new ZkError("deployVerifier needs @nomicfoundation/hardhat-ethers in the config's plugins");
    const names = verifierNames(this.name);
    const deploy = async (contract: string) => {
      try {
        return await ethers.deployContract(contract);
      } catch (e) {
        throw new ZkError(
          `model "${this.name}": cannot deploy ${contract} (${(e as Error).message.split("\n")[0]}); run \`npx hardhat zk verifier --model ${this.name}\` first`,
          e as Error,
        );
      }
    };
    if (this.config.verifier === "single") {
      return { verifier: (await deploy(names.verifier)) as unknown as Halo2VerifierContract };
    }
    const verifier = (await deploy(names.reusableVerifier)) as unknown as Halo2VerifierContract;
    return { verifier, verifyingKey: await deploy(names.vka) };
  }

  async close(): Promise<void> {
    const prover = this.#prover;
    this.#prover = undefined;
    if (prover !== undefined) await (await prover.catch(() => undefined))?.close();
  }

  async #proofJson(proof: ProofLike): Promise<Uint8Array> {
    if (typeof proof === "string") {
      try {
        return await readFile(proof);
      } catch {
        throw new ZkError(`proof file ${proof} not found`);
      }
    }
    return proof instanceof Uint8Array ? proof : proof.proofJson;
  }
}
