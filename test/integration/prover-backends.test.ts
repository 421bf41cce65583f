import * as chai from "chai";
import { expect } from "chai";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import hre, { network } from "hardhat";
import { besidesBoundInput } from "@hardhat-zkml/core/bound-address.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { validateZkUserConfig } from "../../tasks/config/validate.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { PROVER_BACKENDS, backendOverride, resolvePoolOptions, type ProverBackend } from "@hardhat-zkml/core/prover/backends.js";
import { ModelProver, type ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";
import { ThreadWorker } from "@hardhat-zkml/core/prover/pool-worker.js";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import type { Halo2VerifierContract } from "@hardhat-zkml/core/prover/verifier-contract.js";
import { WEB_BUILD_FILES, preparedWebEngine } from "@hardhat-zkml/core/prover/web-engine.js";
import { sha256 } from "@hardhat-zkml/core/hash.js";
import { loadModelFiles } from "@hardhat-zkml/core/prover/model-files.js";
import { chaiZk } from "../../tasks/lib/testing/chai-zk.js";
import { buildModel, ctx, openProver } from "../helpers/fixtures.js";
import { stageReached, waitFor } from "../helpers/wait.js";
import { expectDeliberate } from "../helpers/errors.js";

chai.use(chaiZk);

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FIXTURES = [
  { model: "voiceJudgeSmall", verifier: "VoiceJudgeSmallVerifier" },
  { model: "tinyMlp", verifier: "TinyMlpVerifier" },
];

async function inputsOf(name: string): Promise<ModelInputs> {
  const data = JSON.parse(await readFile(path.join(ctx.root, "models", name, "input.json"), "utf8")) as { input_data: number[][] };
  return besidesBoundInput(data.input_data, hre.config.zk.models[name]!.boundAddress);
}

const boundFor = (name: string) => (hre.config.zk.models[name]!.boundAddress !== undefined ? ALICE : undefined);

async function verifiesInPython(name: string, proofJson: Uint8Array): Promise<boolean> {
  const dir = await mkdtemp(path.join(tmpdir(), "zk-backend-"));
  try {
    const proof = path.join(dir, "proof.json");
    await writeFile(proof, proofJson);
    const a = modelArtifacts(ctx.artifactsDir, name);
    return await runEzkl<boolean>(ctx.root, "verify", { proof, settings: a.settings, vk: a.vk, srs: a.srs });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  expect.fail("expected a rejection");
}

describe("prover backends", function () {
  before(async function () {
    for (const f of FIXTURES) await buildModel(f.model);
  });

  for (const backend of PROVER_BACKENDS) {
    describe(`backend ${backend}`, function () {
      const pool = new ProverPool({ backend, workers: 1, threads: 2, root: ctx.root });
      after(() => pool.close());

      for (const f of FIXTURES) {
        it(`proves ${f.model}; the proof verifies in the engine, in Python and on-chain`, async function () {
          const prover = await openProver(f.model, pool);
          expect(prover.backend).to.equal(backend);
          const result = await prover.prove(await inputsOf(f.model), boundFor(f.model));
          expect(prover.verify(result.proofJson), "engine").to.equal(true);
          expect(await verifiesInPython(f.model, result.proofJson), "python").to.equal(true);
          const { ethers } = await network.create();
          const verifier = (await ethers.deployContract(f.verifier)) as unknown as Halo2VerifierContract;
          await expect(result).to.verifyOn(verifier);
          if (f.model === "voiceJudgeSmall") expect(result.boundAddress).to.equal(ALICE);
        });
      }

      it("a worker killed mid-proof fails its job at once with the reason, and is replaced", async function () {
        const prover = await openProver("voiceJudgeSmall", pool);
        const inputs = await inputsOf("voiceJudgeSmall");
        // Warm: the worker holds the model, so the next job goes straight to witness and proof.
        await prover.prove(inputs, ALICE);
        const replacedBefore = pool.replaced;
        const [victim] = pool.workers;
        const proving = stageReached("proving");
        const job = prover.prove(inputs, ALICE, proving.onStage);
        await proving.reached;
        expect(pool.workers[0]!.busy, "the job is running when the worker is killed").to.equal(1);
        const killedAt = performance.now();
        victim!.kill();
        const error = await rejection(job);
        const failedAfterMs = performance.now() - killedAt;
        expectDeliberate(error);
        expect(error.message)
          .to.include(`backend ${backend}`)
          .and.match(/killed by SIGKILL|exited with code/);
        expect(error.message.split("\n")).to.have.length(1);
        expect(failedAfterMs, "the job fails when the worker dies, not after a timeout").to.be.lessThan(2000);

        const again = await prover.prove(inputs, ALICE);
        expect(prover.verify(again.proofJson)).to.equal(true);
        expect(pool.replaced).to.equal(replacedBefore + 1);
        expect(pool.workers.map((w) => w.id)).to.not.include(victim!.id);
      });
    });
  }

  describe("pool", function () {
    it("never starts more workers than its size, even for jobs that arrive together", async function () {
      const pool = new ProverPool({ backend: "native", workers: 1, root: ctx.root });
      try {
        const prover = await openProver("tinyMlp", pool);
        const inputs = await inputsOf("tinyMlp");
        const jobs = [prover.prove(inputs), prover.prove(inputs)];
        const busy = () => pool.workers.reduce((n, w) => n + w.busy, 0);
        await waitFor("both jobs to be given a worker", () => busy() === 2, { intervalMs: 5 });
        expect(pool.workers.map((w) => w.busy)).to.deep.equal([2]);
        for (const r of await Promise.all(jobs)) expect(prover.verify(r.proofJson)).to.equal(true);
      } finally {
        await pool.close();
      }
    });

    it("replaces a worker after recycleAfter proofs", async function () {
      const pool = new ProverPool({ backend: "wasm", workers: 1, recycleAfter: 1 });
      try {
        const prover = await openProver("tinyMlp", pool);
        const inputs = await inputsOf("tinyMlp");
        const witness = stageReached("witness");
        const first = prover.prove(inputs, undefined, witness.onStage);
        await witness.reached;
        expect(pool.workers.map((w) => w.busy)).to.deep.equal([1]);
        expect(prover.verify((await first).proofJson)).to.equal(true);
        expect(pool.workers, "retired after its one proof").to.have.length(0);
        const second = await prover.prove(inputs);
        expect(prover.verify(second.proofJson)).to.equal(true);
        expect(pool.workers).to.have.length(0);
        expect(pool.replaced).to.equal(2);
      } finally {
        await pool.close();
      }
    });
  });

  describe("when a backend cannot run", function () {
    it("native without Python names the backend to use instead", function () {
      const saved = process.env.ZK_PYTHON;
      process.env.ZK_PYTHON = path.join(tmpdir(), "no-such-python");
      try {
        expect(() => new ProverPool({ backend: "native", root: ctx.root })).to.throw(
          ZkError,
          /^backend "native" needs Python with ezkl .*; run `npx hardhat zk install-python`, or use --backend wasm-threads$/,
        );
      } finally {
        if (saved === undefined) delete process.env.ZK_PYTHON;
        else process.env.ZK_PYTHON = saved;
      }
    });

    it("wasm-threads without SharedArrayBuffer names the backend to use instead", async function () {
      const g = globalThis as { SharedArrayBuffer?: unknown };
      const saved = g.SharedArrayBuffer;
      delete g.SharedArrayBuffer;
      try {
        const model = hre.config.zk.models.tinyMlp!;
        const e = await rejection(ModelProver.open(ctx.root, ctx.artifactsDir, model, { backend: "wasm-threads" }));
        expectDeliberate(e);
        expect(e.message).to.match(/^backend "wasm-threads" needs SharedArrayBuffer .*; use --backend wasm \(or native\)$/);
      } finally {
        g.SharedArrayBuffer = saved;
      }
    });

    it("an unknown --backend lists the choices", function () {
      expect(() => backendOverride("gpu")).to.throw(ZkError, "--backend gpu: use one of wasm, wasm-threads, native");
      expect(backendOverride(undefined)).to.deep.equal({});
    });
  });

  describe("the engine's web build", function () {
    it("is the build the thread fixes were written for (fails if the engine's files change)", async function () {
      const web = engineWebDir();
      for (const [file, hash] of Object.entries(WEB_BUILD_FILES)) {
        expect(sha256(await readFile(path.join(web, file))), file).to.equal(hash);
      }
    });

    it("is copied and patched, never edited in place", async function () {
      const dir = await preparedWebEngine();
      const helper = await readFile(path.join(dir, "snippets/wasm-bindgen-rayon-3e04391371ad0a8e/src/workerHelpers.worker.js"), "utf8");
      expect(helper)
        .to.include("from '../../../ezkl.js';")
        .and.include("addEventListener('message'")
        .and.not.match(/^onmessage =/m);
      const original = path.join(engineWebDir(), "snippets/wasm-bindgen-rayon-3e04391371ad0a8e/src/workerHelpers.worker.js");
      expect(await readFile(original, "utf8")).to.match(/^onmessage =/m);
    });

    it("refuses a web build whose files differ", async function () {
      const copy = await mkdtemp(path.join(tmpdir(), "zk-web-"));
      try {
        const web = engineWebDir();
        await cp(web, copy, { recursive: true });
        await writeFile(path.join(copy, "utils.js"), (await readFile(path.join(copy, "utils.js"), "utf8")) + "\n// edited\n");
        const e = await rejection(preparedWebEngine({ sourceDir: copy, cacheRoot: path.join(copy, "cache") }));
        expectDeliberate(e);
        expect(e.message).to.match(/web build file utils.js is not the one the thread fixes were written for/);
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    });

    it("a thread pool that never starts fails after initTimeoutMs instead of hanging", async function () {
      const good = await preparedWebEngine();
      const broken = await mkdtemp(path.join(tmpdir(), "zk-web-broken-"));
      let worker: ThreadWorker | undefined;
      try {
        await cp(good, broken, { recursive: true });
        // Undo one glue fix: the rayon threads never answer, so initThreadPool would wait forever.
        const file = path.join(broken, "snippets/wasm-bindgen-rayon-3e04391371ad0a8e/src/workerHelpers.worker.js");
        await writeFile(
          file,
          (await readFile(file, "utf8"))
            .replace("addEventListener('message', async", "globalThis.unused = (async")
            .replace("}, { once: true });", "});"),
        );
        // The worker imports the engine as it starts, so it is made only once the copy is complete.
        worker = new ThreadWorker(resolvePoolOptions({ backend: "wasm-threads", threads: 2, initTimeoutMs: 3000 }), broken);
        const files = await loadModelFiles(ctx.root, "tinyMlp", modelArtifacts(ctx.artifactsDir, "tinyMlp"));
        const e = await rejection(worker.load("k", files));
        expect(e.message, e.message).to.match(/initThreadPool\(2\) did not finish in 3000 ms/);
      } finally {
        await worker?.close();
        await rm(broken, { recursive: true, force: true });
      }
    });
  });

  describe("config", function () {
    it("validates zk.models.<name>.prover and defaults the backend to wasm", function () {
      const errors = validateZkUserConfig({ models: { m: { onnx: "m.onnx", prover: { backend: "gpu", threads: 0 } } } });
      expect(errors.map((e) => e.path.join("."))).to.have.members(["zk.models.m.prover.backend", "zk.models.m.prover.threads"]);
      expect(validateZkUserConfig({ models: { m: { onnx: "m.onnx", prover: { backend: "native", recycleAfter: 20 } } } })).to.deep.equal(
        [],
      );
      expect(hre.config.zk.models.tinyMlp!.prover.backend).to.equal("wasm");
    });

    it("zk prove --backend native proves on the native backend; the proof verifies in the engine", async function () {
      const out = await mkdtemp(path.join(tmpdir(), "zk-prove-native-"));
      try {
        await hre.tasks.getTask(["zk", "prove"]).run({ model: "tinyMlp", out, backend: "native" });
        const [file] = (await readdir(out)).filter((f) => f.endsWith(".proof.json"));
        // The option reaches the pool: without Python, the same call fails naming the native backend.
        const saved = process.env.ZK_PYTHON;
        process.env.ZK_PYTHON = path.join(tmpdir(), "no-such-python");
        try {
          const e = await rejection(hre.tasks.getTask(["zk", "prove"]).run({ model: "tinyMlp", out, backend: "native" }));
          expect(e.message).to.match(/^backend "native" needs Python/);
        } finally {
          if (saved === undefined) delete process.env.ZK_PYTHON;
          else process.env.ZK_PYTHON = saved;
        }
        const prover = await ModelProver.open(ctx.root, ctx.artifactsDir, hre.config.zk.models.tinyMlp!);
        try {
          expect(prover.verify(await readFile(path.join(out, file!)))).to.equal(true);
        } finally {
          await prover.close();
        }
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });

    it("ModelProver.open takes the backend from options over the model config", async function () {
      const model = { ...hre.config.zk.models.tinyMlp!, prover: { backend: "native" as ProverBackend } };
      const fromConfig = await ModelProver.open(ctx.root, ctx.artifactsDir, model);
      const overridden = await ModelProver.open(ctx.root, ctx.artifactsDir, model, { backend: "wasm" });
      try {
        expect(fromConfig.backend).to.equal("native");
        expect(overridden.backend).to.equal("wasm");
      } finally {
        await fromConfig.close();
        await overridden.close();
      }
    });
  });
});

/** The installed engine's `web` folder. */
function engineWebDir(): string {
  return path.join(path.dirname(path.dirname(fileURLToPath(import.meta.resolve("@ezkljs/engine/nodejs/ezkl.js")))), "web");
}
