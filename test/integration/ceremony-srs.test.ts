import { expect } from "chai";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import workspaceConfig from "../../hardhat.config.js";
import { resolveModel } from "../../tasks/config/resolve.js";
import { compileGenerated, isolatedBuildPaths } from "../../tasks/lib/compile-generated.js";
import { assertSrsAllowed } from "../../tasks/lib/deploy/preflight.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { sha256File } from "@hardhat-zkml/core/hash.js";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { generateVerifier } from "@hardhat-zkml/core/pipeline/generate-verifier.js";
import { formatModelInfo, modelInfo } from "@hardhat-zkml/core/pipeline/model-info.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { readSrsK, srsFileSize } from "@hardhat-zkml/core/srs-file.js";
import { ROOT } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

const ONNX = "models/tinyMlp/model.onnx";
const dir = path.join(ROOT, ".test-projects", "ceremony-srs");

/** The refusal's message, or undefined when the guard lets the deployment through. */
function guard(manifest: Parameters<typeof assertSrsAllowed>[1], local: boolean, allowInsecure: boolean): string | undefined {
  try {
    assertSrsAllowed("m", manifest, "sepolia", local, allowInsecure);
    return undefined;
  } catch (e) {
    expectDeliberate(e);
    return (e as Error).message;
  }
}

describe("ceremony SRS: srs: { path } end to end (tinyMlp)", function () {
  const ctx: BuildContext = {
    root: ROOT,
    artifactsDir: path.join(dir, "artifacts-zk"),
    generatedContractsDir: path.join(dir, "contracts", "generated"),
    log: () => undefined,
    force: true,
  };
  const samples = async () =>
    (JSON.parse(await readFile(path.join(ROOT, "models/tinyMlp/input.json"), "utf8")) as { input_data: number[][] }).input_data;

  /** A Hardhat runtime whose Solidity sources are only this test's generated verifiers. */
  const verifierRuntime = () => createHardhatRuntimeEnvironment({ ...workspaceConfig, ...isolatedBuildPaths(ROOT, dir) }, {}, ROOT);

  it("builds, proves and verifies (engine, native, on-chain) on a ceremony-format SRS; the manifest marks it and the deploy guard lets it go live", async function () {
    // A dev build first: its manifest is the one the guard refuses, and it gives the circuit's size.
    const dev = (await setupCircuit(resolveModel("mlpDevSrs", { onnx: ONNX }, ROOT), ctx)).manifest;
    expect(dev.srs).to.include({ source: "dev", insecure: true });
    const logrows = dev.circuit!.logrows;

    // A file in the ceremony's format (halo2 KZG parameters, as ezkl's kzg<k>.srs), made
    // outside the build from its own random secret; the build only reads and copies it.
    await mkdir(dir, { recursive: true });
    const ceremonyFile = path.join(dir, `kzg${logrows}.srs`);
    await runEzkl(ROOT, "gen_srs", { srs: ceremonyFile, logrows });
    expect(await readSrsK(ceremonyFile)).to.equal(logrows);

    const model = resolveModel("mlpCeremonySrs", { onnx: ONNX, srs: { path: path.relative(ROOT, ceremonyFile) } }, ROOT);
    const result = await setupCircuit(model, ctx);
    const m = result.manifest;
    expect(m.circuit!.logrows).to.equal(logrows);
    expect(m.srs).to.deep.include({
      source: "ceremony",
      insecure: false,
      logrows,
      sha256: await sha256File(ceremonyFile),
      origin: path.relative(ROOT, ceremonyFile),
    });
    expect(m.srs!.sha256, "not the dev SRS").to.not.equal(dev.srs!.sha256);
    expect(formatModelInfo(await modelInfo(model, ctx.artifactsDir)), "zk info").to.include(
      `SRS: ceremony from ${path.relative(ROOT, ceremonyFile)}, sha256 ${m.srs!.sha256}`,
    );
    const paths = modelArtifacts(ctx.artifactsDir, model.name);
    expect(await sha256File(paths.srs), "the build's copy").to.equal(await sha256File(ceremonyFile));

    const contracts = await generateVerifier(model, ctx);
    const runtime = await verifierRuntime();
    await compileGenerated(runtime);
    const { ethers } = await runtime.network.create();
    const verifier = await ethers.deployContract(contracts.find((c) => c.role === "verifier")!.contract);

    const prover = await ModelProver.open(ROOT, ctx.artifactsDir, model);
    try {
      const proof = await prover.prove(await samples());
      expect(await verifier.getFunction("verifyProof").staticCall(proof.args.proof, proof.args.instances), "on-chain verifyProof").to.equal(
        true,
      );
      expect(prover.verify(proof.proofJson), "engine verify").to.equal(true);
      const proofFile = path.join(paths.dir, "ceremony.proof.json");
      await writeFile(proofFile, proof.proofJson);
      expect(
        await runEzkl(ROOT, "verify", { proof: proofFile, settings: paths.settings, vk: paths.vk, srs: paths.srs }),
        "native verify",
      ).to.equal(true);
      // The dev build's keys and SRS do not accept this proof.
      const devPaths = modelArtifacts(ctx.artifactsDir, "mlpDevSrs");
      const devVerify = await runEzkl(ROOT, "verify", {
        proof: proofFile,
        settings: devPaths.settings,
        vk: devPaths.vk,
        srs: devPaths.srs,
      }).catch(() => false);
      expect(devVerify, "verify against the dev SRS build").to.equal(false);
    } finally {
      await prover.close();
    }
    // And the ceremony verifier refuses a proof made on the dev SRS (the verifier reverts on any failure).
    const devProver = await ModelProver.open(ROOT, ctx.artifactsDir, resolveModel("mlpDevSrs", { onnx: ONNX }, ROOT));
    try {
      const devProof = await devProver.prove(await samples());
      let reverted = false;
      await verifier
        .getFunction("verifyProof")
        .staticCall(devProof.args.proof, devProof.args.instances)
        .catch(() => (reverted = true));
      expect(reverted, "a dev-SRS proof on the ceremony verifier").to.equal(true);
    } finally {
      await devProver.close();
    }

    // The deploy guard (checked before connecting): a dev SRS goes to a live network only with the override.
    expect(guard(dev, false, false)).to.match(
      /insecure dev SRS; refusing to deploy its verifier to "sepolia".*srs = \{ path.*--allow-insecure-srs/,
    );
    expect(guard(dev, false, true), "dev SRS with --allow-insecure-srs").to.equal(undefined);
    expect(guard(dev, true, false), "dev SRS on a local chain").to.equal(undefined);
    expect(guard(m, false, false), "ceremony SRS on a live network").to.equal(undefined);
  });

  it("refuses a ceremony SRS of another size or format, and a missing one, naming the fix", async function () {
    const dev = (await setupCircuit(resolveModel("mlpDevSrs", { onnx: ONNX }, ROOT), { ...ctx, force: false })).manifest;
    const logrows = dev.circuit!.logrows;
    const small = path.join(dir, `kzg${logrows - 1}.srs`);
    await runEzkl(ROOT, "gen_srs", { srs: small, logrows: logrows - 1 });
    const notSrs = path.join(dir, "not-an.srs");
    await writeFile(notSrs, Buffer.alloc(srsFileSize(4) + 1));
    const attempt = async (srsPath: string) => {
      let error: unknown;
      await setupCircuit(resolveModel("mlpBadSrs", { onnx: ONNX, srs: { path: srsPath } }, ROOT), ctx).catch((e) => (error = e));
      expectDeliberate(error);
      return (error as Error).message;
    };
    expect(await attempt(small)).to.match(
      new RegExp(
        `model "mlpBadSrs": the ceremony SRS .* holds 2\\^${logrows - 1} points but the circuit is sized at logrows ${logrows}; .*kzg${logrows}\\.srs`,
      ),
    );
    expect(await attempt(notSrs)).to.match(/not-an\.srs is not an SRS in ezkl's format/);
    expect(await attempt(path.join(dir, "missing.srs"))).to.match(
      /ceremony SRS .*missing\.srs not found; fix zk\.models\.mlpBadSrs\.srs\.path/,
    );
  });
});
