import { getAddress } from "ethers";
import { parseAddress } from "../chain-errors.js";
import { modelArtifacts } from "../artifacts.js";
import { besidesBoundInput, isBoundOutput } from "../bound-address.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { clamped, loadEngine } from "../engine.js";
import { FIELD_MODULUS, uint256ToFelt } from "../felt.js";
import { keysIdentity, type InstanceSlot } from "../manifest.js";
import { elementCount } from "../pipeline/validate-inputs.js";
import { engineCalldata, engineVerify } from "./engine-ops.js";
import { loadModelFiles, type ModelFiles } from "./model-files.js";
import { parseProof, verifierArgs, type EzklProof, type VerifierArgs } from "./proof-json.js";
import { ProverPool, type ProveStage, type ProverBackend, type ProverPoolOptions } from "./prover-pool.js";
import type { EzklSettings } from "../settings.js";
import { assertWitnessInRange, explainWitnessFailure } from "./witness-range.js";

const MAX_ADDRESS = (1n << 160n) - 1n;

/** One public instance of a proof, decoded. */
export interface DecodedInstance extends InstanceSlot {
  /** The raw field element, as the verifier takes it. */
  felt: bigint;
  /** The fixed-point value as a float (felt / 2^scale, signed); null at the bound-address output, which holds no number. */
  value: number | null;
  /** At the bound-address output: the address bound into the proof (checksummed). */
  address?: string;
  /** At the bound-address output, when it holds a domain-bound key rather than an address: the key as 0x hex. */
  key?: string;
}

export interface ProofResult {
  model: string;
  /** The proof file as ezkl writes it (JSON bytes). */
  proofJson: Uint8Array;
  proof: EzklProof;
  /** verifyProof(bytes proof, uint256[] instances) arguments. */
  args: VerifierArgs;
  /** ABI-encoded verifyProof call data from the engine (hex). */
  calldata: string;
  instances: DecodedInstance[];
  /** The address bound into the proof (models with boundAddress), if the key is an address. */
  boundAddress?: string;
  /** The raw key at the bound output: the address, or a domain-bound key (see reward/domain-key.ts). */
  boundKey?: bigint;
  proveMs?: number;
  /**
   * When the proof ran in its worker (epoch ms; the end is when the result arrived, the
   * start that minus the worker's own proving time), so callers can see overlap.
   */
  provedDuring?: { start: number; end: number };
}

/** Per input, its values flattened in row-major order. */
export type ModelInputs = number[][];

/**
 * Proves, verifies and encodes calldata for one model, on artifacts loaded once and
 * hash-checked against the model's manifest. Proofs run on a ProverPool's backend
 * ("wasm", "wasm-threads" or "native"); verify() and decode() use the WASM engine.
 */
export class ModelProver {
  readonly files: ModelFiles;
  readonly #pool: ProverPool;
  readonly #ownsPool: boolean;
  /** Identifies these exact artifacts in the pool's workers. */
  readonly #poolKey: string;
  readonly #settings: EzklSettings;

  private constructor(
    readonly model: ZkModelConfig,
    files: ModelFiles,
    pool: ProverPool,
    ownsPool: boolean,
  ) {
    this.files = files;
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#poolKey = `${model.name}:${keysIdentity(files.manifest)}`;
    this.#settings = JSON.parse(new TextDecoder().decode(files.settings)) as EzklSettings;
  }

  /**
   * Loads and hash-checks a model's artifacts. Proofs run on `pool` if given (shared
   * by many provers; the caller closes it), else on a pool of its own that close()
   * ends, made from the model's `prover` config with `options` over it:
   *
   *   ModelProver.open(root, artifactsDir, model)                          // zk.models.<name>.prover
   *   ModelProver.open(root, artifactsDir, model, { backend: "native" })   // override
   *   ModelProver.open(root, artifactsDir, model, sharedPool)
   *
   * Throws ZkError if the artifacts are missing or stale, or the backend cannot run here.
   */
  static async open(root: string, artifactsDir: string, model: ZkModelConfig, pool?: ProverPool | ProverPoolOptions): Promise<ModelProver> {
    const files = await loadModelFiles(root, model.name, modelArtifacts(artifactsDir, model.name));
    if (pool instanceof ProverPool) return new ModelProver(model, files, pool, false);
    const options: ProverPoolOptions = { workers: 1, ...model.prover, root, ...pool };
    return new ModelProver(model, files, new ProverPool(options), true);
  }

  /** The backend proofs run on. */
  get backend(): ProverBackend {
    return this.#pool.options.backend;
  }

  get layout(): InstanceSlot[] {
    return this.files.manifest.instances ?? [];
  }

  /**
   * ezkl input JSON for the given inputs, with the prover's key at the bound input:
   * an address (0x + 40 hex) or a raw field element (a domain-bound key).
   */
  inputJson(inputs: ModelInputs, prover?: string | bigint): string {
    const io = this.files.manifest.io;
    const name = this.model.name;
    if (io === undefined)
      throw new ZkError(`model "${name}": manifest has no input shapes; run \`npx hardhat zk setup --model ${name} --force\``);
    const bound = this.model.boundAddress;
    const data: (number | string)[][] = [];
    io.inputs.forEach((input, i) => {
      if (bound !== undefined && i === bound.input) {
        if (prover === undefined)
          throw new ZkError(`model "${name}" binds the prover's address into the proof; pass it with --prover <address>`);
        if (typeof prover === "bigint") {
          if (prover < 0n || prover >= FIELD_MODULUS) throw new ZkError(`bound key ${prover} is not a field element (0 <= key < r)`);
          data.push([uint256ToFelt(prover)]);
          return;
        }
        data.push([uint256ToFelt(BigInt(parseAddress(prover, "--prover")))]);
        return;
      }
      const values = inputs[bound !== undefined && i > bound.input ? i - 1 : i];
      const want = elementCount(input.shape);
      if (!Array.isArray(values))
        throw new ZkError(`model "${name}": input "${input.name}" is missing (expected ${want} numbers, shape ${input.shape.join("x")})`);
      if (values.length !== want) {
        throw new ZkError(
          `model "${name}": input "${input.name}" has ${values.length} values; shape ${input.shape.join("x")} needs ${want}`,
        );
      }
      const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
      if (bad >= 0)
        throw new ZkError(
          `model "${name}": input "${input.name}" has a non-finite value (${values[bad]}) at index ${bad}; inputs must be finite numbers`,
        );
      data.push(values);
    });
    const expected = io.inputs.length - (bound !== undefined ? 1 : 0);
    if (inputs.length !== expected) {
      throw new ZkError(
        `model "${name}": got ${inputs.length} input arrays, expected ${expected} (${besidesBoundInput(io.inputs, bound)
          .map((x) => x.name)
          .join(", ")})`,
      );
    }
    return JSON.stringify({ input_data: data });
  }

  /**
   * Witness and proof in a worker thread; the result is decoded and ready to submit.
   * `onStage` hears when the witness and then the proof begin.
   */
  async prove(inputs: ModelInputs, prover?: string | bigint, onStage?: (stage: ProveStage) => void): Promise<ProofResult> {
    const json = this.inputJson(inputs, prover);
    let out;
    try {
      out = await this.#pool.prove(
        this.files,
        this.#poolKey,
        json,
        (w) => assertWitnessInRange(this.model.name, w, this.#settings),
        onStage,
      );
    } catch (e) {
      if (e instanceof ZkError) throw e;
      throw (
        explainWitnessFailure(this.model.name, this.#settings, e) ??
        new ZkError(`model "${this.model.name}": proving failed (${(e as Error).message})`)
      );
    }
    const end = Date.now();
    return { ...this.decode(out.proof), proveMs: out.ms, provedDuring: { start: end - out.ms, end } };
  }

  /** Off-chain verification in the engine: true or false, never throws for a bad proof. */
  verify(proofJson: Uint8Array): boolean {
    return engineVerify(this.files, proofJson);
  }

  decode(proofJson: Uint8Array): ProofResult {
    const proof = parseProof(proofJson);
    const args = verifierArgs(proof);
    const layout = this.layout;
    if (args.instances.length !== layout.length) {
      throw new ZkError(
        `proof has ${args.instances.length} public instances but model "${this.model.name}" has ${layout.length}; is it a proof for another model?`,
      );
    }
    const felts = proof.instances.flat();
    const engine = loadEngine();
    const bound = this.model.boundAddress;
    const instances: DecodedInstance[] = layout.map((slot, i) => {
      const felt = args.instances[i]!;
      // The bound output carries an address (or a domain-bound key), not a fixed-point number.
      if (isBoundOutput(slot, bound))
        return felt <= MAX_ADDRESS
          ? { ...slot, felt, value: null, address: getAddress("0x" + felt.toString(16).padStart(40, "0")) }
          : { ...slot, felt, value: null, key: "0x" + felt.toString(16).padStart(64, "0") };
      return { ...slot, felt, value: engine.feltToFloat(clamped(JSON.stringify(felts[i])), slot.scale) };
    });
    let boundAddress: string | undefined;
    let boundKey: bigint | undefined;
    if (bound !== undefined) {
      const slot = instances.find((s) => isBoundOutput(s, bound));
      if (slot === undefined) throw new ZkError(`model "${this.model.name}": output ${bound.output} is not public, so no address is bound`);
      boundKey = slot.felt;
      boundAddress = slot.address;
    }
    const calldata = "0x" + Buffer.from(engineCalldata(proofJson)).toString("hex");
    return { model: this.model.name, proofJson, proof, args, calldata, instances, boundAddress, boundKey };
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.close();
  }
}
