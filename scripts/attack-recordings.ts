/**
 * The recording attack, rerun: an attested JudgmentReward (threshold 0.5, the deploy default)
 * on the in-process chain and the real proving server with the attester's key. Crafted files
 * (silence, noise with new seeds, tones, a chirp, clicks, DC, a 1 Hz WAV of 9 MB, MP3 frame
 * headers without audio) and real voices are submitted for fresh recipients; whatever is
 * attested is claimed by a third account. Prints, per file, the server's answer, the score
 * and what the recipient was paid, and writes bench/attack.md.
 *
 *   npx hardhat run scripts/attack-recordings.ts
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { Contract, Wallet, formatEther, parseEther } from "ethers";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import type { JobResult } from "@hardhat-zkml/server/job-types.js";
import { startService } from "@hardhat-zkml/server/service.js";
import { chainRewardSource } from "../tasks/lib/reward-source.js";
import { buildModel } from "../test/helpers/fixtures.js";
import { ATTESTER_KEY, deployRewardFixture, MODEL } from "../test/helpers/reward-fixture.js";
import { bearer, createKey, removeDir, testServiceConfig } from "../test/helpers/service.js";
import { encodeWav16, mp3HeadersOnly, synthesize, uniformNoise } from "../test/helpers/synth-audio.js";

const root = hre.config.paths.root;
const FIXTURES = path.join(root, "test", "fixtures", "audio");
const ALSA = "/usr/share/sounds/alsa";

const synth = (f: (t: number, i: number) => number) => encodeWav16(synthesize(f), 22050);

/** Pink and brown noise by filtering white noise (Paul Kellet's economy pink filter; a leaky integrator). */
function colouredNoise(kind: "pink" | "brown", seed: number): Uint8Array {
  const rand = uniformNoise(seed);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let brown = 0;
  return synth(() => {
    const white = rand();
    if (kind === "brown") {
      brown = 0.98 * brown + 0.1 * white;
      return 0.5 * brown;
    }
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    return 0.1 * (b0 + b1 + b2 + white * 0.1848);
  });
}

async function negatives(): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [
    ["digital silence (fixture)", new Uint8Array(await readFile(path.join(FIXTURES, "silence-22050-s16.wav")))],
    [
      "near-silence (-70 dBFS hiss)",
      synth(
        (
          (r) => () =>
            0.0003 * r()
        )(uniformNoise(9)),
      ),
    ],
  ];
  for (const seed of [1, 2, 3])
    out.push([
      `white noise, seed ${seed}`,
      synth(
        (
          (r) => () =>
            0.3 * r()
        )(uniformNoise(seed)),
      ),
    ]);
  out.push(["pink noise", colouredNoise("pink", 4)], ["brown noise", colouredNoise("brown", 5)]);
  out.push(["440 Hz tone", synth((t) => 0.5 * Math.sin(2 * Math.PI * 440 * t))]);
  out.push(["chirp 100 Hz -> 4 kHz", synth((t) => 0.5 * Math.sin(2 * Math.PI * (100 * t + (3900 / 8) * t * t)))]);
  out.push(["clicks, 10 per second", synth((_, i) => (i % 2205 < 20 ? 0.9 : 0))]);
  out.push(["DC offset", synth(() => 0.4)]);
  out.push([
    "WAV sampled at 1 Hz, 9 MB",
    encodeWav16(
      new Float32Array(4_500_000).map((_, i) => Math.sin(i)),
      1,
    ),
  ]);
  out.push(["MP3 frame headers, no audio", mp3HeadersOnly(400)]);
  return out;
}

async function voices(): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [];
  for (const file of (await readdir(FIXTURES)).sort()) {
    if (/^(speech|sung|stereo)-/.test(file)) out.push([`fixture ${file}`, new Uint8Array(await readFile(path.join(FIXTURES, file)))]);
  }
  const alsa = await readdir(ALSA).catch(() => [] as string[]);
  for (const file of alsa.sort()) {
    // Noise.wav is a steady noise sample, not speech.
    if (file.endsWith(".wav") && file !== "Noise.wav")
      out.push([`alsa-utils ${file}`, new Uint8Array(await readFile(path.join(ALSA, file)))]);
  }
  return out;
}

await buildModel(MODEL);
const fx = await deployRewardFixture();
// A cap and a balance no run reaches: every refusal below is the gate's, the judge's or the contract's.
const reward = await fx.deployReward({ attester: fx.attester.address, roundCap: parseEther("1000") });
const rewardAddress = await reward.getAddress();
await (await fx.owner.sendTransaction({ to: rewardAddress, value: parseEther("100") })).wait();
const config = await testServiceConfig(
  [MODEL],
  { ZK_ATTESTER_KEY: ATTESTER_KEY, ZK_QUOTA_RECIPIENT_ROUND: "5", ZK_QUOTA_KEY_HOUR: "1000" },
  { concurrency: 1 },
);
config.reward = rewardAddress;
const service = await startService(config, { extractFeatures, reward: await chainRewardSource(fx.connection, rewardAddress, MODEL) });
const token = createKey(config.dataDir, ["prove"], 10_000, "attack");
const { ethers } = fx.connection;
const claimant = fx.bot; // pays the gas; the reward pays the recipient

interface Row {
  kind: string;
  file: string;
  answer: string;
  score?: number;
  attested: boolean;
  paid: bigint;
}
const rows: Row[] = [];
try {
  const cases = [...(await negatives()).map((c) => ["crafted", ...c] as const), ...(await voices()).map((c) => ["voice", ...c] as const)];
  for (const [kind, file, audio] of cases) {
    const recipient = Wallet.createRandom().address;
    const form = new FormData();
    form.set("address", recipient);
    form.set("audio", new Blob([audio]), "take");
    const res = await fetch(`${service.url}/v1/models/${MODEL}/proofs?wait=120`, { method: "POST", headers: bearer(token), body: form });
    const body = (await res.json()) as { detail?: string; job?: { status: string; error?: string }; result?: JobResult };
    const row: Row = { kind, file, answer: `${res.status}`, attested: false, paid: 0n };
    if (res.status !== 200) row.answer += `: ${body.detail}`;
    else if (body.job?.status !== "succeeded") row.answer += `: job ${body.job?.status} (${body.job?.error})`;
    const result = body.result;
    if (result !== undefined) {
      row.score = result.judgment?.score;
      row.attested = result.attestation !== undefined;
      if (result.claim !== undefined) {
        const before = await ethers.provider.getBalance(recipient);
        const contract = new Contract(rewardAddress, [`function ${result.claim.function}`], claimant);
        try {
          await (
            await contract.getFunction(result.claim.function.slice(0, result.claim.function.indexOf("(")))(...result.claim.args)
          ).wait();
        } catch (e) {
          row.answer += `; claim reverted (${(e as { shortMessage?: string }).shortMessage ?? (e as Error).message.split("\n")[0]})`;
        }
        row.paid = (await ethers.provider.getBalance(recipient)) - before;
      }
    }
    rows.push(row);
    console.log(
      `${kind.padEnd(8)} ${file.padEnd(40)} ${row.answer.slice(0, 90)} score ${row.score?.toFixed(2) ?? "-"} paid ${formatEther(row.paid)}`,
    );
  }
} finally {
  await service.close();
  await removeDir(config.dataDir);
}

const count = (kind: string, f: (r: Row) => boolean) =>
  `${rows.filter((r) => r.kind === kind && f(r)).length}/${rows.filter((r) => r.kind === kind).length}`;
const table = [
  "| kind | file | server's answer | score | attested | paid (ETH) |",
  "| --- | --- | --- | ---: | :---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.kind} | ${r.file} | ${r.answer.replace(/\|/g, "\\|")} | ${r.score?.toFixed(2) ?? "-"} | ${r.attested ? "yes" : "no"} | ${formatEther(r.paid)} |`,
  ),
];
const summary = [
  `Crafted files attested: ${count("crafted", (r) => r.attested)}, paid: ${count("crafted", (r) => r.paid > 0n)}.`,
  `Real voices attested: ${count("voice", (r) => r.attested)}, paid: ${count("voice", (r) => r.paid > 0n)} (paid when the judge scores at least the threshold, 0.5).`,
];
const doc = `# The recording attack, rerun

\`npx hardhat run scripts/attack-recordings.ts\`: an attested JudgmentReward (threshold 0.5,
reward 1 ETH) on the in-process chain and the real proving server with the attester's key
(\`ZK_ATTESTER_KEY\`); each file is sent for a new recipient (multipart, \`?wait=120\`) and
whatever is attested is claimed by another account. Model: ${MODEL}. Measured ${new Date().toISOString().slice(0, 10)}.

${summary.join("\n")}

${table.join("\n")}
`;
await writeFile(path.join(root, "bench", "attack.md"), doc);
console.log(`\n${summary.join("\n")}\n-> bench/attack.md`);
