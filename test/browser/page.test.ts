import { expect } from "chai";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { HDNodeWallet, Interface, Wallet, type Provider } from "ethers";
import hre, { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { Browser, Page } from "playwright-core";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { engineCalldata } from "@hardhat-zkml/core/prover/engine-ops.js";
import { parseProof } from "@hardhat-zkml/core/prover/proof-json.js";
import { verifyOnChain } from "@hardhat-zkml/core/prover/verify-onchain.js";
import { domainKey } from "@hardhat-zkml/core/reward/domain-key.js";
import { feltToUint256 } from "@hardhat-zkml/core/felt.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { chainRelayer } from "../../tasks/lib/relayer.js";
import { chainRewardSource } from "../../tasks/lib/reward-source.js";
import { buildPage, canvasColours, launchChromium, openPage, screenshot, voiceMicWav } from "../helpers/browser.js";
import { buildModel } from "../helpers/fixtures.js";
import { freePort } from "../helpers/ports.js";
import { spawnHardhat, stop, type Spawned } from "../helpers/processes.js";
import { ATTESTER_KEY, deployRewardFixture, MODEL, REWARD } from "../helpers/reward-fixture.js";
import { removeDir, testServiceConfig } from "../helpers/service.js";

const FIXTURES = path.join(hre.config.paths.root, "test", "fixtures", "audio");
/** Hardhat's default account 5: the relayer that pays the claims' gas. */
const RELAYER_KEY = HDNodeWallet.fromPhrase(
  "test test test test test test test test test test test junk",
  undefined,
  "m/44'/60'/0'/0/5",
).privateKey;

/** What the page exposes on window.zkPage (see packages/web/src/main.ts). */
interface PageState {
  analysis?: { verdict: { ok: boolean }; features: { input: number[] } };
  recording?: { fileName: string };
  proofRequests: number;
  stoppedAt?: number;
  scoreShownAt?: number;
  deviceProof?: { proof: string; verified: boolean; score: number; threads: number; timings: { proveMs: number } };
}
// In-page code is given as strings: it runs in Chromium, and the tests' tsconfig has no DOM types.
const zkPage = (page: Page) => page.evaluate("window.zkPage") as Promise<PageState>;
const errorsShown = (page: Page) =>
  page.evaluate("[...document.querySelectorAll('.error')].filter((e) => !e.hidden).map((e) => e.textContent)") as Promise<string[]>;

describe("the singer's page in Chromium, against a hardhat node and the real server", function () {
  let node: Spawned | undefined;
  let connection: NetworkConnection;
  let provider: Provider;
  let fx: Awaited<ReturnType<typeof deployRewardFixture>>;
  let rewardAddress: string;
  let config: ServiceConfig | undefined;
  let service: RunningService | undefined;
  let browser: Browser | undefined;
  let micDir: string | undefined;
  /** POSTs to a proofs route that reached the server's socket. */
  let proofPosts = 0;
  const pages: Page[] = [];

  before(async function () {
    await Promise.all([buildModel(MODEL), buildPage()]);
    const port = await freePort();
    node = spawnHardhat(["node", "--hostname", "127.0.0.1", "--port", String(port)]);
    await node.waitFor(/Started HTTP and WebSocket JSON-RPC server/);
    connection = await network.create({ network: "localhost", override: { url: `http://127.0.0.1:${port}` } });
    provider = connection.ethers.provider;
    fx = await deployRewardFixture({ connection });
    // Threshold 0.25: the voices on the microphone score about 0.96 (speech) and 0.48 (sung; bench/attack.md).
    rewardAddress = await (await fx.deployReward({ attester: fx.attester.address, threshold: 0.25 })).getAddress();
    config = await testServiceConfig(
      [MODEL],
      // One proof per page session, so a page that judges twice must start a second session.
      { ZK_ATTESTER_KEY: ATTESTER_KEY, ZK_RELAYER_KEY: RELAYER_KEY, ZK_PAGE_SESSIONS_PER_HOUR: "100", ZK_PAGE_SESSION_PROOFS: "1" },
      { concurrency: 1 },
    );
    config.reward = rewardAddress;
    service = await startService(config, {
      extractFeatures,
      reward: await chainRewardSource(connection, rewardAddress, MODEL),
      relayer: await chainRelayer(connection, hre.artifacts, RELAYER_KEY),
    });
    service.app.server.on("request", (req: { method?: string; url?: string }) => {
      if (req.method === "POST" && /\/proofs(\?|$)/.test(req.url ?? "")) proofPosts++;
    });
    micDir = await mkdtemp(path.join(tmpdir(), "zk-mic-"));
    browser = await launchChromium(await voiceMicWav(micDir));
  });

  after(async function () {
    await browser?.close();
    await service?.close();
    if (config !== undefined) await removeDir(config.dataDir);
    await stop(node);
    if (micDir !== undefined) await removeDir(micDir);
  });

  async function open(width = 1000): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(browser!, `${service!.url}/`, width);
    pages.push(opened.page);
    await opened.page.waitForSelector("#server-status:not(:empty), #config-error:not([hidden])");
    expect(await errorsShown(opened.page), `the page starts (${opened.errors.join("; ")})`).to.deep.equal([]);
    return opened;
  }

  /** Waits until the page shows a score or an error, and fails with the error's text. */
  async function waitForScore(page: Page): Promise<void> {
    await page.waitForFunction("window.zkPage.scoreShownAt !== undefined || !!document.querySelector('.error:not([hidden])')", null, {
      timeout: 180_000,
    });
    expect(await errorsShown(page), "errors shown on the page").to.deep.equal([]);
  }

  /** A page whose window.ethereum forwards to the hardhat node, where the unlocked account `bot` signs. */
  async function walletPage(url: string): Promise<{ page: Page; bot: { address: string } }> {
    const [, , bot] = await connection.ethers.getSigners();
    const context = await browser!.newContext();
    await context.exposeFunction("walletRequest", async (method: string, params: unknown[] = []) =>
      method === "eth_requestAccounts" || method === "eth_accounts" ? [bot!.address] : connection.ethers.provider.send(method, params),
    );
    await context.addInitScript("window.ethereum = { request: ({ method, params }) => window.walletRequest(method, params) };");
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${url}/`);
    await page.waitForSelector("#server-status:not(:empty)");
    return { page, bot: bot! };
  }

  /** Waits for the claim's receipt or a refusal, and fails with the refusal's words. */
  async function waitForClaim(page: Page): Promise<void> {
    await page.waitForSelector("#claim-receipt:not([hidden]) code.hash, #claim-error:not([hidden])", { timeout: 60_000 });
    expect(await errorsShown(page), "the claim is not refused").to.deep.equal([]);
  }

  it("records 4 s from the microphone, draws what the judge hears, scores it, and the relayed claim pays the recipient exactly the reward; a second claim says already paid", async function () {
    const { page, errors } = await open();
    expect(await page.evaluate("crossOriginIsolated"), "COOP/COEP make the page cross-origin isolated").to.equal(true);
    await screenshot(page, "1-loaded");
    expect(await page.textContent("#server-status")).to.match(/Judge: voiceJudgeSmall\. A score of 0\.25 or more earns 1\.0 ETH\./);

    const followed: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "GET" && r.url().includes("/v1/jobs/")) followed.push(new URL(r.url()).pathname);
    });
    const recipient = Wallet.createRandom().address;
    await page.fill("#address", recipient);
    await page.click("#record");
    await page.waitForTimeout(4000);
    expect(Number.parseFloat((await page.textContent("#timer"))!)).to.be.greaterThan(3.5);
    await screenshot(page, "2-recording");
    await page.click("#stop");
    await waitForScore(page);

    expect(await canvasColours(page, "#spectrogram"), "the spectrogram is drawn, not blank").to.be.greaterThan(20);
    expect(await page.textContent("#gate")).to.match(/A voice was found in the 3 seconds judged/);
    expect(await page.isVisible("#playback")).to.equal(true);
    const state = await zkPage(page);
    expect(state.recording!.fileName).to.equal("recording.webm");
    const stages = await page.evaluate("[...document.querySelectorAll('#stages li')].map((li) => li.dataset.stage)");
    expect(stages).to.include.members(["features", "witness", "proving", "verifying"]);
    expect(await page.textContent("#judge-status")).to.match(/^Elapsed \d+\.\d s/);
    expect(
      followed.filter((p) => p.endsWith("/events")),
      "the job is followed through its event stream",
    ).to.have.length(1);
    expect(
      followed.filter((p) => /^\/v1\/jobs\/[^/]+$/.test(p)),
      "no polling while the stream works",
    ).to.deep.equal([]);
    const score = Number(await page.textContent("#score"));
    expect(score).to.be.within(0.25, 1.1);
    expect(await page.textContent("#threshold")).to.match(/pays a score of 0\.25 or more/);
    expect(await page.textContent("#earns")).to.match(/It earns the reward: 1\.0 ETH/);
    console.log(`      stop recording -> score on screen: ${Math.round(state.scoreShownAt! - state.stoppedAt!)} ms (score ${score})`);
    await screenshot(page, "3-scored");

    const before = await provider.getBalance(recipient);
    await page.click("#claim");
    await waitForClaim(page);
    const txHash = (await page.textContent("#claim-receipt code.hash"))!;
    const receipt = await provider.getTransactionReceipt(txHash);
    expect(receipt?.status, "the relayed claim is mined").to.equal(1);
    expect((await provider.getBalance(recipient)) - before, "the recipient gains exactly the reward; the relayer paid the gas").to.equal(
      REWARD,
    );
    expect(await page.textContent("#claim-receipt")).to.match(new RegExp(`^Paid 1\\.0 ETH to ${recipient} in block \\d+`));
    await screenshot(page, "4-paid");

    await page.click("#claim");
    await page.waitForSelector("#claim-error:not([hidden])", { timeout: 60_000 });
    expect(await page.textContent("#claim-error")).to.match(/^Already paid: the reward for this recording has been paid/);
    expect(await page.isVisible("#claim-receipt"), "the first payment's receipt stays on screen").to.equal(true);
    expect(await page.getAttribute("#claim-error", "role")).to.equal("alert");
    expect((await provider.getBalance(recipient)) - before, "paid once").to.equal(REWARD);
    await screenshot(page, "5-already-paid");
    expect(errors).to.deep.equal([]);
  });

  it("follows the job by polling when the event stream is unavailable; a second recording starts a new page session (one proof each here)", async function () {
    const { page, errors } = await open();
    await page.route("**/v1/jobs/*/events", (route) => route.abort());
    const polls: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "GET" && /\/v1\/jobs\/[^/]+$/.test(new URL(r.url()).pathname)) polls.push(r.url());
    });
    await page.fill("#address", Wallet.createRandom().address);
    await page.setInputFiles("#file", path.join(FIXTURES, "sung-22050-u8.wav"));
    await waitForScore(page);
    expect(polls.length, "GET /v1/jobs/{id} polled").to.be.greaterThan(0);
    expect(Number(await page.textContent("#score"))).to.be.within(0, 1.1);
    expect(await page.textContent("#earns")).to.match(/It earns the reward/);
    const sessions: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/v1/page-sessions")) sessions.push(r.url());
    });
    await page.setInputFiles("#file", path.join(FIXTURES, "speech-22050-s16.wav"));
    await waitForScore(page);
    expect(sessions, "a new session for the second proof").to.have.length(1);
    expect(errors.filter((e) => !e.includes("net::ERR_FAILED"))).to.deep.equal([]);
  });

  it("a silent recording shows the gate's reason in words and sends nothing to the server", async function () {
    const { page, errors } = await open();
    const sent = proofPosts;
    await page.fill("#address", Wallet.createRandom().address);
    await page.setInputFiles("#file", path.join(FIXTURES, "silence-22050-s16.wav"));
    await page.waitForSelector("#gate.refused");
    expect(await page.textContent("#gate")).to.match(/^Not sent: too quiet: the recording is silent in the 3 seconds judged/);
    expect(await page.isDisabled("#judge")).to.equal(true);
    expect(await page.isDisabled("#prove-here")).to.equal(true);
    await page.waitForTimeout(1000);
    expect((await zkPage(page)).proofRequests).to.equal(0);
    expect(proofPosts - sent, "proof requests that reached the server").to.equal(0);
    await screenshot(page, "6-silent-refused");
    expect(errors).to.deep.equal([]);
  });

  it("the page's features equal Node's (@hardhat-zkml/audio/node) for the same bytes", async function () {
    const { page } = await open();
    await page.uncheck("#auto-judge");
    let maxDiff = 0;
    const files = [
      "speech-48000.webm",
      "stereo-48000-live.webm",
      "speech-48000.opus",
      "speech-44100.mp3",
      "speech-22050-s16.wav",
      "sung-22050-u8.wav",
    ];
    for (const name of files) {
      await page.evaluate("window.zkPage.analysis = undefined");
      await page.setInputFiles("#file", path.join(FIXTURES, name));
      await page.waitForFunction("window.zkPage.analysis !== undefined");
      const inPage = (await zkPage(page)).analysis!.features.input;
      const inNode = await extractFeatures(new Uint8Array(await readFile(path.join(FIXTURES, name))), [1, 1, 16, 20]);
      expect(inPage, name).to.have.length(inNode.length);
      for (let i = 0; i < inNode.length; i++) maxDiff = Math.max(maxDiff, Math.abs(inPage[i]! - inNode[i]!));
    }
    console.log(`      max |page - Node| over ${files.length} recordings x 320 features: ${maxDiff}`);
    expect(maxDiff).to.be.at.most(1e-9);
  });

  it("proves on this device: the recording stays in the browser, the proof verifies in the engine and on-chain, for this recipient", async function () {
    const { page, errors } = await open();
    await page.uncheck("#auto-judge");
    const sent = proofPosts;
    const recipient = Wallet.createRandom().address;
    await page.fill("#address", recipient);
    await page.setInputFiles("#file", path.join(FIXTURES, "speech-22050-s16.wav"));
    await page.waitForSelector("#gate.ok");
    await page.click("#prove-here");
    await page.waitForFunction("window.zkPage.deviceProof !== undefined || !document.querySelector('#device-error').hidden", null, {
      timeout: 300_000,
    });
    expect(await page.textContent("#device-error")).to.equal("");
    const proved = (await zkPage(page)).deviceProof!;
    expect(proved.verified, "verified by the engine in the page").to.equal(true);
    expect(proved.threads).to.equal(await page.evaluate("navigator.hardwareConcurrency"));
    expect(proofPosts - sent, "nothing was sent to be proved").to.equal(0);
    expect(await page.textContent("#device-status")).to.match(
      /^Proved on this device with \d threads?: score \d\.\d{4}, the proof verifies\./,
    );
    console.log(`      in-browser proof: ${Math.round(proved.timings.proveMs)} ms with ${proved.threads} threads`);
    await screenshot(page, "7-proved-on-device");

    const proof = parseProof(proved.proof);
    const terms = new Interface(["function round() view returns (uint256)"]);
    const round = terms.decodeFunctionResult(
      "round",
      await provider.call({ to: rewardAddress, data: terms.encodeFunctionData("round") }),
    )[0] as bigint;
    expect(feltToUint256(proof.instances[0]![0]!), "the proof binds this recipient's domain key").to.equal(
      domainKey(31337n, rewardAddress, recipient, round),
    );
    const calldata = "0x" + Buffer.from(engineCalldata(new TextEncoder().encode(proved.proof))).toString("hex");
    const verdict = await verifyOnChain(provider, await fx.verifier.getAddress(), calldata);
    expect(verdict, "the model's verifier accepts the page's proof").to.deep.equal({ valid: true });
    expect(errors).to.deep.equal([]);
  });

  it("works with the keyboard alone: record, stop, get judged and claim, with a visible focus", async function () {
    // Another voice on the microphone: the first test's recording (same file, same start) is already paid.
    const sung = await launchChromium(await voiceMicWav(micDir!, "sung-22050-u8.wav"));
    try {
      await keyboardOnly(sung);
    } finally {
      await sung.close();
    }
  });

  async function keyboardOnly(sung: Browser): Promise<void> {
    const { page, errors } = await openPage(sung, `${service!.url}/`);
    await page.waitForSelector("#server-status:not(:empty)");
    const recipient = Wallet.createRandom().address;
    const focused = () => page.evaluate("document.activeElement?.id ?? ''") as Promise<string>;
    const tabTo = async (id: string) => {
      for (let i = 0; i < 20 && (await focused()) !== id; i++) await page.keyboard.press("Tab");
      expect(await focused(), `Tab reaches #${id}`).to.equal(id);
    };
    await tabTo("address");
    await page.keyboard.type(recipient);
    await page.keyboard.press("Shift+Tab");
    for (let i = 0; i < 10 && (await focused()) !== "record"; i++) await page.keyboard.press("Shift+Tab");
    expect(await focused()).to.equal("record");
    const outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle");
    expect(outline, "the focused button shows an outline").to.not.equal("none");
    await screenshot(page, "8-keyboard-focus");
    await page.keyboard.press("Enter");
    await page.waitForFunction("document.activeElement?.id === 'stop'");
    await page.waitForTimeout(4000);
    await page.keyboard.press("Enter");
    await waitForScore(page);
    await tabTo("claim");
    const before = await provider.getBalance(recipient);
    await page.keyboard.press("Enter");
    await waitForClaim(page);
    expect((await provider.getBalance(recipient)) - before).to.equal(REWARD);
    await screenshot(page, "9-keyboard-paid");
    expect(errors).to.deep.equal([]);
  }

  it("claims with the person's own wallet (an injected EIP-1193 provider): the wallet pays the gas, the recipient gets the reward", async function () {
    const { page, bot } = await walletPage(service!.url);
    const recipient = Wallet.createRandom().address;
    await page.fill("#address", recipient);
    await page.setInputFiles("#file", path.join(FIXTURES, "speech-22050-s16.wav"));
    await waitForScore(page);
    expect(await page.isVisible("#claim-wallet")).to.equal(true);
    const [before, botBefore] = [await provider.getBalance(recipient), await provider.getBalance(bot.address)];
    await page.click("#claim-wallet");
    await waitForClaim(page);
    const receipt = await provider.getTransactionReceipt((await page.textContent("#claim-receipt code.hash"))!);
    expect(receipt?.from).to.equal(bot.address);
    expect((await provider.getBalance(recipient)) - before).to.equal(REWARD);
    expect(botBefore - (await provider.getBalance(bot.address)), "the wallet paid the gas").to.equal(receipt!.gasUsed * receipt!.gasPrice);
    expect(await page.textContent("#claim-status")).to.equal("Paid through your wallet.");
    await screenshot(page, "11-wallet-paid");
  });

  it("an open reward: a proof made on this device is claimed with the person's wallet, and the recording is never uploaded", async function () {
    const openReward = await (await fx.deployReward({ threshold: 0.25 })).getAddress(); // no attester: open mode
    const openConfig = await testServiceConfig([MODEL], { ZK_PAGE_SESSIONS_PER_HOUR: "100" }, { concurrency: 1 });
    openConfig.reward = openReward;
    const open = await startService(openConfig, { extractFeatures, reward: await chainRewardSource(connection, openReward, MODEL) });
    const posts: string[] = [];
    open.app.server.on("request", (req: { method?: string; url?: string }) => {
      if (req.method === "POST") posts.push(req.url ?? "");
    });
    try {
      const { page, bot } = await walletPage(open.url);
      await page.uncheck("#auto-judge");
      const recipient = Wallet.createRandom().address;
      await page.fill("#address", recipient);
      await page.setInputFiles("#file", path.join(FIXTURES, "sung-22050-u8.wav"));
      await page.waitForSelector("#gate.ok");
      await page.click("#prove-here");
      await page.waitForSelector("#claim-wallet:not([disabled]), #device-error:not([hidden])", { timeout: 300_000 });
      expect(await page.textContent("#device-error")).to.equal("");
      expect(await page.textContent("#device-status")).to.match(/the proof verifies\..*Claim it with your wallet below\.$/);
      expect(await page.textContent("#earns")).to.match(/It earns the reward/);
      const before = await provider.getBalance(recipient);
      await page.click("#claim-wallet");
      await waitForClaim(page);
      const receipt = await provider.getTransactionReceipt((await page.textContent("#claim-receipt code.hash"))!);
      expect(receipt?.from).to.equal(bot.address);
      expect((await provider.getBalance(recipient)) - before, "the open reward pays the proof made in the browser").to.equal(REWARD);
      expect(posts, "the only POST is the page session that fetched the model's files: no recording, no features").to.deep.equal([
        "/v1/page-sessions",
      ]);
      await screenshot(page, "12-open-reward-device-claim");
    } finally {
      await open.close();
      await removeDir(openConfig.dataDir);
    }
  });

  it("fits a 360 px wide phone screen without sideways scrolling", async function () {
    const { page } = await open(360);
    await page.uncheck("#auto-judge");
    await page.fill("#address", Wallet.createRandom().address);
    await page.setInputFiles("#file", path.join(FIXTURES, "speech-22050-s16.wav"));
    await page.waitForSelector("#gate.ok");
    expect(await page.evaluate("document.documentElement.scrollWidth")).to.be.at.most(360);
    for (const id of ["record", "file", "spectrogram", "address", "judge", "claim"])
      expect(await page.isVisible(`#${id}`), id).to.equal(true);
    await screenshot(page, "10-phone-360");
  });
});
