import { isAddress, type Signer } from "ethers";
import { besidesBoundInput, isJudgeModel } from "@hardhat-zkml/core/bound-address.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import type { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { signAttestation } from "@hardhat-zkml/core/reward/attestation.js";
import { claimCall, provenKey } from "@hardhat-zkml/core/reward/claim.js";
import { featureCommitment } from "@hardhat-zkml/core/reward/commitment.js";
import type { JobRequest, JobResult, JobStage } from "./job-types.js";
import { artifactsIdOf } from "./model-catalog.js";
import { rewardTermsOf } from "./reward-terms.js";
import type { FeatureExtractor } from "./submit.js";

export interface ProofRunnerOptions {
  /** Turns a job's recording into the model's input (the audio pipeline). */
  extractFeatures?: FeatureExtractor;
  /** The reward's attester (ZK_ATTESTER_KEY): signs the commitment of features computed here. */
  attester?: Signer;
}

/** An address stays a string; a 0x-hex field element (a domain-bound key) becomes a bigint. */
function proverKey(prover: string | undefined): string | bigint | undefined {
  if (prover === undefined || isAddress(prover)) return prover;
  if (/^0x[0-9a-fA-F]{1,64}$/.test(prover)) return BigInt(prover);
  return prover; // ModelProver rejects it with the fix
}

/**
 * Runs proof jobs through the plugin's prover (ModelProver on a shared pool of worker
 * threads): prove, verify, decode, and shape the result for the API. Used by the
 * embedded queue and by `zk worker` processes alike.
 */
export class ProofRunner {
  readonly #provers = new Map<string, Promise<ModelProver>>();

  constructor(
    readonly root: string,
    readonly artifactsDir: string,
    readonly models: Record<string, ZkModelConfig>,
    readonly pool: ProverPool,
    readonly options: ProofRunnerOptions = {},
  ) {}

  /** The model's prover, its artifacts read once and checked against the manifest hashes. */
  prover(name: string): Promise<ModelProver> {
    const model = this.models[name];
    if (model === undefined)
      return Promise.reject(new ZkError(`unknown model "${name}"; served models: ${Object.keys(this.models).join(", ")}`));
    let opened = this.#provers.get(name);
    if (opened === undefined) {
      opened = ModelProver.open(this.root, this.artifactsDir, model, this.pool);
      opened.catch(() => this.#provers.delete(name));
      this.#provers.set(name, opened);
    }
    return opened;
  }

  /** The job's inputs: as sent, or the features of its recording ("features" stage). */
  async #inputs(request: JobRequest, prover: ModelProver, onStage: (stage: JobStage) => void): Promise<number[][]> {
    if (request.audio === undefined) {
      if (request.inputs === undefined) throw new ZkError(`job for model "${request.model}" has neither inputs nor audio`);
      return request.inputs;
    }
    onStage("features");
    const extract = this.options.extractFeatures;
    if (extract === undefined) throw new ZkError("this worker has no audio pipeline; run it from the project (`npx hardhat zk worker`)");
    const inputs = besidesBoundInput(prover.files.manifest.io?.inputs ?? [], prover.model.boundAddress);
    if (inputs.length !== 1) throw new ZkError(`model "${request.model}" takes ${inputs.length} inputs; a recording fills exactly one`);
    try {
      return [
        await extract(
          Buffer.from(request.audio, "base64"),
          inputs[0]!.shape.map((d) => d ?? 1),
        ),
      ];
    } catch (e) {
      if (e instanceof ZkError) throw e;
      throw new ZkError(`cannot read the recording (${(e as Error).message}); send a WAV, FLAC, MP3, Ogg or WebM file`);
    }
  }

  async run(request: JobRequest, onStage: (stage: JobStage) => void = () => {}): Promise<JobResult> {
    const prover = await this.prover(request.model);
    const mine = artifactsIdOf(prover.files.manifest);
    if (mine !== request.artifactsId) {
      throw new ZkError(
        `model "${request.model}": this worker's artifacts (${mine.slice(0, 12)}) differ from the API's (${request.artifactsId.slice(0, 12)}); copy the same artifacts-zk/${request.model} to every machine`,
      );
    }
    const inputs = await this.#inputs(request, prover, onStage);
    const terms = request.reward === undefined ? undefined : rewardTermsOf(request.reward);
    let attestation: JobResult["attestation"];
    if (terms?.attester !== undefined) {
      // The attester signs only what this service heard: the features of the job's recording.
      if (request.audio === undefined) throw new ZkError(`the reward at ${terms.address} pays only attested recordings; send the audio`);
      const attester = this.options.attester;
      if (attester === undefined)
        throw new ZkError(
          `the reward at ${terms.address} pays only attested recordings, and this worker has no attester key; set ZK_ATTESTER_KEY`,
        );
      const signed = await signAttestation(attester, terms.chainId, terms.address, {
        commitment: featureCommitment(prover, terms.commitment, inputs[0]!),
        recipient: request.prover!,
        round: terms.round,
        deadline: BigInt(Math.floor(Date.now() / 1000) + request.reward!.ttlSeconds),
      });
      attestation = { ...signed, round: signed.round.toString(), deadline: signed.deadline.toString() };
    }
    const key = terms !== undefined && request.prover !== undefined ? provenKey(terms, request.prover) : proverKey(request.prover);
    const proved = await prover.prove(inputs, key, onStage);
    onStage("verifying");
    const verified = prover.verify(proved.proofJson);
    if (!verified)
      throw new ZkError(
        `model "${request.model}": the engine rejected the proof it just made; rebuild the keys with \`npx hardhat zk setup --model ${request.model} --force\``,
      );
    const instances = proved.instances.map((s) => ({
      index: s.index,
      source: s.source,
      tensor: s.tensor,
      element: s.element,
      scale: s.scale,
      felt: "0x" + s.felt.toString(16).padStart(64, "0"),
      value: s.value,
      address: s.address,
      key: s.key,
    }));
    const argInstances = proved.args.instances.map(String);
    const result: JobResult = {
      model: request.model,
      proof: proved.proof,
      instances,
      verifierCalldata: proved.calldata,
      verifierArgs: { proof: proved.args.proof, instances: argInstances },
      boundAddress: proved.boundAddress,
      verified,
      proveMs: Math.round(proved.proveMs ?? 0),
      backend: String(prover.backend),
    };
    const model = this.models[request.model]!;
    const hasScore = isJudgeModel(proved.instances, model.boundAddress);
    // With the reward's terms the proof may carry a domain-bound key, not the address: the recipient is the one asked for.
    const recipient = terms !== undefined ? request.prover : proved.boundAddress;
    if (hasScore && recipient !== undefined) {
      const judgment = new JudgeProver(prover).judgmentOf(proved, recipient);
      result.judgment = { recipient: judgment.recipient, score: judgment.score, scoreFelt: "0x" + judgment.scoreFelt.toString(16) };
      if (attestation !== undefined) result.attestation = attestation;
      // minReward 0 accepts any payout; the API sends every number as a decimal string.
      const call = claimCall(
        judgment.recipient,
        proved.args,
        0n,
        attestation && { deadline: BigInt(attestation.deadline), signature: attestation.signature },
      );
      result.claim = { function: call.function, args: call.args.map((a) => (Array.isArray(a) ? a.map(String) : String(a))) };
    }
    if (request.audio !== undefined) result.features = inputs[0];
    return result;
  }

  async close(): Promise<void> {
    this.#provers.clear();
    await this.pool.close();
  }
}
