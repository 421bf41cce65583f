import path from "node:path";
import { modelArtifacts, type ModelArtifacts } from "../artifacts.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { sha256File, sha256Json } from "../hash.js";
import { assertOutputsMatch, emptyManifest, exists, readManifest, writeManifest, type Manifest } from "../manifest.js";
import { toolchainVersions } from "../installed-versions.js";
import { withProgress } from "../progress.js";

export type Log = (line: string) => void;

/** How often a running step reports that it is still running. */
const PROGRESS_EVERY_MS = 5000;

/** What every pipeline step needs: where things are, how to report, whether to redo. */
export interface BuildContext {
  root: string;
  artifactsDir: string;
  generatedContractsDir: string;
  log: Log;
  force?: boolean;
  /** How often a running step reports that it is still running (default 5 s). */
  progressEveryMs?: number;
}

/** A model's build state: its paths and manifest, saved after every step. */
export class ModelBuild {
  readonly paths: ModelArtifacts;
  #manifest: Manifest;
  /** Outputs already hashed and matched in this build, so later steps do not hash them again. */
  #verified = new Set<string>();

  private constructor(
    readonly model: ZkModelConfig,
    readonly ctx: BuildContext,
    manifest: Manifest,
  ) {
    this.paths = modelArtifacts(ctx.artifactsDir, model.name);
    this.#manifest = manifest;
  }

  static async open(model: ZkModelConfig, ctx: BuildContext): Promise<ModelBuild> {
    const paths = modelArtifacts(ctx.artifactsDir, model.name);
    const toolchain = toolchainVersions();
    // --force rebuilds over a manifest that no longer validates (hand-edited, older schema).
    let manifest = await readManifest(paths.manifest).catch((e: unknown) => {
      if (ctx.force) return undefined;
      throw e;
    });
    if (manifest === undefined || manifest.toolchain.ezkl !== toolchain.ezkl || manifest.toolchain.engine !== toolchain.engine) {
      manifest = emptyManifest(model.name, toolchain);
    }
    return new ModelBuild(model, ctx, manifest);
  }

  get manifest(): Manifest {
    return this.#manifest;
  }

  rel(file: string): string {
    return path.relative(this.ctx.root, file);
  }

  /** Hash of a step's recorded output, checked against the file on disk. */
  async recordedHash(step: string, file: string): Promise<string> {
    const record = this.#manifest.steps[step];
    const rel = this.rel(file);
    if (record === undefined || record.outputs[rel] === undefined) {
      throw new ZkError(`${this.model.name}: ${rel} has not been built; run \`npx hardhat zk setup --model ${this.model.name}\``);
    }
    if (!this.#verified.has(rel)) {
      await assertOutputsMatch(this.ctx.root, { ...record, outputs: { [rel]: record.outputs[rel]! } }, step);
      this.#verified.add(rel);
    }
    return record.outputs[rel]!;
  }

  async save(): Promise<void> {
    await writeManifest(this.paths.manifest, this.#manifest);
  }

  /**
   * Runs `action` unless the step's inputs (summarised in `inputs`) are unchanged and
   * its outputs are present with the recorded hashes. Returns whether it ran.
   */
  async step(name: string, inputs: unknown, outputs: string[], action: () => Promise<void>): Promise<boolean> {
    const key = sha256Json(inputs);
    const prev = this.#manifest.steps[name];
    const label = `[${this.model.name}] ${name}`;
    if (!this.ctx.force && prev !== undefined && prev.key === key) {
      const allThere = (await Promise.all(outputs.map(exists))).every(Boolean);
      if (allThere) {
        await assertOutputsMatch(this.ctx.root, prev, name);
        for (const rel of Object.keys(prev.outputs)) this.#verified.add(rel);
        this.ctx.log(`${label}: up to date`);
        return false;
      }
    }
    const started = performance.now();
    // The step's start, then a line every few seconds: ezkl steps can run for minutes.
    await withProgress(
      `${label}: running...`,
      prev !== undefined ? prev.seconds * 1000 : undefined,
      action,
      { isTTY: false, write: (line) => this.ctx.log(line.replace(/\n$/, "")) },
      this.ctx.progressEveryMs ?? PROGRESS_EVERY_MS,
    );
    const seconds = (performance.now() - started) / 1000;
    const hashes: Record<string, string> = {};
    for (const file of outputs) {
      if (!(await exists(file))) throw new Error(`step ${name} did not write ${this.rel(file)}`);
      hashes[this.rel(file)] = await sha256File(file);
      this.#verified.add(this.rel(file));
    }
    this.#manifest.steps[name] = { key, outputs: hashes, seconds: Number(seconds.toFixed(2)), finishedAt: new Date().toISOString() };
    await this.save();
    this.ctx.log(`${label}: done in ${seconds.toFixed(1)} s`);
    return true;
  }
}
