import { expect } from "chai";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { buildModel, ctx } from "../helpers/fixtures.js";
import { captureLog } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

const MODEL = "voiceJudgeSmall";
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const DIR = path.join(ctx.root, ".test-projects", "task-errors");
const task = (name: string, args: Record<string, unknown>) => hre.tasks.getTask(["zk", name]).run(args);

/** The task fails with one ZkError line (what Hardhat prints without a stack trace) matching `pattern`. */
async function expectOneLine(run: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await run;
  } catch (e) {
    expectDeliberate(e);
    const message = (e as Error).message;
    expect(message.split("\n"), message).to.have.length(1);
    expect(message).to.match(pattern);
    return message;
  }
  throw new Error(`expected a one-line ZkError matching ${pattern}`);
}

describe("task errors are one line that names the fix", function () {
  let proofFile: string;
  let reward: string;
  let verifier: string;

  before(async function () {
    await buildModel(MODEL);
    await rm(DIR, { recursive: true, force: true });
    await mkdir(DIR, { recursive: true });
    const log = await captureLog(() => task("prove", { model: MODEL, prover: ALICE, out: DIR }));
    proofFile = path.resolve(/-> (.*\.proof\.json)/.exec(log)![1]!);
    const deployed = await captureLog(() => task("deploy", { model: MODEL, fund: 1 }));
    reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(deployed)![1]!;
    verifier = /verifier\s+(0x[0-9a-fA-F]{40})/.exec(deployed)![1]!;
  });

  describe("zk verify --verifier", function () {
    afterEach(() => {
      process.exitCode = 0;
    });

    it("an address with no code is INVALID with the reason, exit code 1", async function () {
      const out = await captureLog(() =>
        task("verify", { model: MODEL, proof: proofFile, verifier: "0x0000000000000000000000000000000000001234" }),
      );
      expect(out).to.match(/off-chain \(WASM\): valid/);
      expect(out).to.match(
        /on-chain \(0x0000000000000000000000000000000000001234\): INVALID: no contract at 0x0+1234 on chain 31337; check --verifier and --network/,
      );
      expect(process.exitCode).to.equal(1);
    });

    it("a contract that is not a verifier (it reverts) is INVALID, exit code 1", async function () {
      const out = await captureLog(() => task("verify", { model: MODEL, proof: proofFile, verifier: reward }));
      expect(out).to.match(/on-chain .*: INVALID: verifyProof reverted/);
      expect(process.exitCode).to.equal(1);
    });

    it("the deployed verifier is valid, exit code unchanged", async function () {
      const out = await captureLog(() => task("verify", { model: MODEL, proof: proofFile, verifier }));
      expect(out).to.match(new RegExp(`on-chain \\(${verifier}\\): valid`));
      expect(process.exitCode).to.not.equal(1);
    });
  });

  describe("proof files", function () {
    it("a proof file that is not JSON: zk calldata and zk verify --verifier", async function () {
      const junk = path.join(DIR, "junk.proof.json");
      await writeFile(junk, "this is not json");
      await expectOneLine(
        task("calldata", { proof: junk }),
        /proof file .*junk\.proof\.json is not valid JSON \(.*\); expected an ezkl proof JSON/,
      );
      await expectOneLine(task("verify", { model: MODEL, proof: junk, verifier }), /proof file .*junk\.proof\.json is not valid JSON/);
    });

    it("a proof whose hex_proof disagrees with its proof bytes is rejected", async function () {
      const proof = JSON.parse(await readFile(proofFile, "utf8"));
      const hex = proof.hex_proof as string;
      proof.hex_proof = hex.slice(0, -2) + (hex.endsWith("00") ? "01" : "00");
      const edited = path.join(DIR, "edited.proof.json");
      await writeFile(edited, JSON.stringify(proof));
      const fix = /"hex_proof" and "proof" hold different bytes \(the file was edited\); regenerate it with `npx hardhat zk prove`/;
      await expectOneLine(task("verify", { model: MODEL, proof: edited }), fix);
      await expectOneLine(task("calldata", { proof: edited }), fix);
    });

    it("a missing proof file says not found", async function () {
      await expectOneLine(
        task("calldata", { proof: path.join(DIR, "nope.proof.json") }),
        /proof file .*nope\.proof\.json not found; pass --proof/,
      );
    });

    it("zk calldata --vk with a bad value", async function () {
      await expectOneLine(
        task("calldata", { proof: proofFile, vk: "0x1234" }),
        /--vk "0x1234" is not an address; give 0x followed by 40 hex digits/,
      );
    });
  });

  describe("addresses", function () {
    // One letter's case flipped: still 40 hex digits, but the EIP-55 checksum no longer holds.
    const flipCase = (address: string) => {
      const i = address.slice(2).search(/[a-fA-F]/) + 2;
      const c = address[i]!;
      return address.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + address.slice(i + 1);
    };

    it("a mis-checksummed address says bad checksum", async function () {
      await expectOneLine(
        task("prove", { model: MODEL, prover: flipCase(ALICE), out: DIR }),
        /--prover 0x\w{40} has a bad checksum .*check it for a typo/,
      );
      await expectOneLine(task("claim", { model: MODEL, reward: flipCase(reward), account: 1 }), /--reward 0x\w{40} has a bad checksum/);
      await expectOneLine(
        task("verify", { model: MODEL, proof: proofFile, verifier: flipCase(verifier) }),
        /--verifier 0x\w{40} has a bad checksum/,
      );
    });

    it("a missing prover address names --prover", async function () {
      await expectOneLine(
        task("prove", { model: MODEL, out: DIR }),
        /binds the prover's address into the proof; pass it with --prover <address>/,
      );
    });
  });

  describe("zk claim", function () {
    it("--input with broken JSON", async function () {
      const broken = path.join(DIR, "broken.json");
      await writeFile(broken, '{"input_data": [[1, 2,');
      await expectOneLine(
        task("claim", { model: MODEL, reward, input: broken }),
        /input file .*broken\.json is not valid JSON \(.*\); expected \{"input_data"/,
      );
    });

    it("a missing input file says not found", async function () {
      await expectOneLine(
        task("claim", { model: MODEL, reward, input: path.join(DIR, "absent.json") }),
        /input file .*absent\.json not found; pass --input <file>/,
      );
      await expectOneLine(
        task("prove", { model: MODEL, prover: ALICE, input: path.join(DIR, "absent.json") }),
        /input file .*absent\.json not found/,
      );
    });

    it("--reward that is not an address, or has no contract", async function () {
      await expectOneLine(task("claim", { model: MODEL, reward: "reward.eth" }), /--reward "reward\.eth" is not an address/);
      await expectOneLine(
        task("claim", { model: MODEL, reward: "0x0000000000000000000000000000000000001234" }),
        /--reward 0x0+1234: no contract on this network \(chain 31337\); check the address and --network, or deploy a JudgmentReward/,
      );
    });

    it("--reward at a contract that is not a JudgmentReward", async function () {
      await expectOneLine(
        task("claim", { model: MODEL, reward: verifier }),
        /reading the reward's terms failed: .*; is 0x[0-9a-fA-F]{40} a JudgmentReward\?/,
      );
    });

    it("a claim that reverts prints the decoded custom error", async function () {
      await captureLog(() => task("claim", { model: MODEL, reward, account: 2 }));
      const message = await expectOneLine(
        task("claim", { model: MODEL, reward, account: 2 }),
        /claim on 0x[0-9a-fA-F]{40} for 0x[0-9a-fA-F]{40} reverted with CommitmentAlreadyPaid\(commitment=0x[0-9a-fA-F]{64}\); this recording's judgment was paid already/,
      );
      expect(message).to.not.match(/ProviderError|VM Exception/);
    });
  });
});
