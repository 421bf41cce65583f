import { isAddress } from "ethers";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { JudgeProver } from "../prover/judge.js";
import { ModelProver } from "../prover/model-prover.js";
import type { ProverPool } from "../prover/prover-pool.js";
import type { JobRequest, JobResult, JobStage } from "./job-types.js";
import { artifactsIdOf } from "./model-catalog.js";

/** JudgmentReward.claim(recipient, proof, instances, minReward); minReward 0 accepts any payout. */
const CLAIM = "claim(address,bytes,uint256[],uint256)";

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

  async run(request: JobRequest, onStage: (stage: JobStage) => void = () => {}): Promise<JobResult> {
    const prover = await this.prover(request.model);
    const mine = artifactsIdOf(prover.files.manifest);
    if (mine !== request.artifactsId) {
      throw new ZkError(
        `model "${request.model}": this worker's artifacts (${mine.slice(0, 12)}) differ from the API's (${request.artifactsId.slice(0, 12)}); copy the same artifacts-zk/${request.model} to every machine`,
      );
    }
    onStage("proving");
    const proved = await prover.prove(request.inputs, proverKey(request.prover));
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
    const hasScore =
      model.boundAddress !== undefined && proved.instances.some((s) => s.source === "output" && s.tensor !== model.boundAddress!.output);
    if (hasScore && proved.boundAddress !== undefined) {
      const judgment = new JudgeProver(prover).judgmentOf(proved);
      result.judgment = { recipient: judgment.recipient, score: judgment.score, scoreFelt: "0x" + judgment.scoreFelt.toString(16) };
      result.claim = { function: CLAIM, args: [judgment.recipient, proved.args.proof, argInstances, "0"] };
    }
    return result;
  }

  async close(): Promise<void> {
    this.#provers.clear();
    await this.pool.close();
  }
}
