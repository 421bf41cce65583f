import { formatEther, getAddress, isAddress } from "ethers";
import { ApiProblem, PageApi, serverBase, type JobResult, type JobView, type PageConfig } from "./api.js";
import type { GateVerdict } from "@hardhat-zkml/audio";
import type { Analysis } from "./analysis.js";
import type { proveOnDevice } from "./device-prover.js";
import { followJob } from "./job-events.js";
import { startRecording, type Recording } from "./recorder.js";
import { drawSpectrogram } from "./spectrogram.js";
import { elapsedText, renderStages } from "./stages.js";
import { byId, messageOf, seconds, showError } from "./ui.js";
import { claimWithWallet, hasWallet, type ClaimCall } from "./wallet.js";

/**
 * The audio package's decoders and resampler (WASM inlined in their JS) are most of the
 * page's weight: loaded when a recording starts or a file is chosen, not with the page.
 */
const analysisModule = () => import("./analysis.js");
/** The engine and the prover's glue: loaded only for "Prove on this device". */
const deviceModule = () => import("./device-prover.js");

const api = new PageApi(serverBase(location, import.meta.env.VITE_ZK_SERVER as string | undefined));

const el = {
  serverStatus: byId("server-status"),
  configError: byId("config-error"),
  record: byId<HTMLButtonElement>("record"),
  stop: byId<HTMLButtonElement>("stop"),
  timer: byId("timer"),
  level: byId<HTMLMeterElement>("level"),
  file: byId<HTMLInputElement>("file"),
  playback: byId<HTMLAudioElement>("playback"),
  recordError: byId("record-error"),
  canvas: byId<HTMLCanvasElement>("spectrogram"),
  caption: byId("spectrogram-caption"),
  gate: byId("gate"),
  address: byId<HTMLInputElement>("address"),
  autoJudge: byId<HTMLInputElement>("auto-judge"),
  judge: byId<HTMLButtonElement>("judge"),
  proveHere: byId<HTMLButtonElement>("prove-here"),
  stages: byId<HTMLOListElement>("stages"),
  judgeStatus: byId("judge-status"),
  judgeError: byId("judge-error"),
  verdict: byId("verdict"),
  score: byId<HTMLOutputElement>("score"),
  threshold: byId("threshold"),
  earns: byId("earns"),
  deviceStatus: byId("device-status"),
  deviceError: byId("device-error"),
  claim: byId<HTMLButtonElement>("claim"),
  claimWallet: byId<HTMLButtonElement>("claim-wallet"),
  claimHow: byId("claim-how"),
  claimStatus: byId("claim-status"),
  claimReceipt: byId("claim-receipt"),
  claimError: byId("claim-error"),
};

/** What the page knows; exposed read-only on window.zkPage for tests and benchmarks. */
const state: {
  config?: PageConfig;
  inputShape?: number[];
  recording?: Recording;
  /** The recording gate's verdict (set first), then the features too. */
  verdict?: GateVerdict;
  analysis?: Analysis;
  job?: JobView;
  result?: JobResult;
  earns?: boolean;
  proofRequests: number;
  /** performance.now() marks: recording stopped, analysed in the page, upload answered, score shown. */
  stoppedAt?: number;
  analysedAt?: number;
  sentAt?: number;
  scoreShownAt?: number;
  deviceProof?: Awaited<ReturnType<typeof proveOnDevice>>;
  /** What "Claim with my wallet" sends: the server result's claim, or the claim of a proof made here (open rewards). */
  walletClaim?: ClaimCall;
} = { proofRequests: 0 };
(window as unknown as { zkPage: typeof state }).zkPage = state;

let busy = false;

function validAddress(): string | undefined {
  const v = el.address.value.trim();
  return isAddress(v) ? getAddress(v) : undefined;
}

function refreshButtons(): void {
  const ready = state.verdict?.ok === true && validAddress() !== undefined && state.config !== undefined && !busy;
  el.judge.disabled = !ready;
  el.proveHere.disabled = !ready || state.analysis === undefined;
  el.claim.disabled = busy || state.earns !== true || state.result === undefined || state.config?.relayer == null;
  el.claimWallet.disabled = busy || state.earns !== true || state.walletClaim === undefined || state.config?.reward == null;
}

async function loadConfig(): Promise<void> {
  try {
    const config = await api.config();
    state.config = config;
    state.inputShape = await api.inputShape(config);
    const reward = config.reward;
    el.serverStatus.textContent =
      `Judge: ${config.model}.` +
      (reward === null
        ? " No reward is set up on this server: you get a score and a proof, no payment."
        : ` A score of ${reward.threshold} or more earns ${formatEther(reward.amount)} ETH.`) +
      (config.relayer === null ? " Claims are not relayed here: claim with your own wallet." : "");
    if (config.relayer === null)
      el.claimHow.textContent = hasWallet()
        ? "This server does not send claims: claim with your wallet (you pay the gas)."
        : "This server does not send claims, and this browser has no wallet to send one.";
    showError(el.configError, undefined);
  } catch (e) {
    showError(el.configError, `Cannot start: ${messageOf(e)}`);
  }
  el.claimWallet.hidden = !hasWallet();
  refreshButtons();
}

async function useRecording(recording: Recording): Promise<void> {
  state.recording = recording;
  state.verdict = undefined;
  state.analysis = undefined;
  state.result = undefined;
  state.deviceProof = undefined;
  state.walletClaim = undefined;
  state.earns = undefined;
  state.scoreShownAt = undefined;
  el.verdict.hidden = true;
  el.stages.replaceChildren();
  el.judgeStatus.textContent = "";
  el.claimStatus.textContent = "";
  el.claimReceipt.hidden = true;
  showError(el.judgeError, undefined);
  showError(el.claimError, undefined);
  showError(el.recordError, undefined);
  el.playback.src = URL.createObjectURL(recording.blob);
  el.playback.hidden = false;
  el.gate.textContent = "Listening to the 3 seconds judged…";
  el.gate.className = "";
  refreshButtons();
  try {
    if (state.inputShape === undefined) throw new Error("the server's configuration is not loaded yet; reload the page");
    const bytes = new Uint8Array(await recording.blob.arrayBuffer());
    const { screen, judgedFeatures } = await analysisModule();
    // The gate first: a recording it passes is sent at once, and the spectrogram is drawn while the server proves.
    const verdict = await screen(bytes, recording.fileName);
    state.verdict = verdict;
    state.analysedAt = performance.now();
    if (verdict.ok) {
      el.gate.textContent = "A voice was found in the 3 seconds judged: ready to send.";
      el.gate.className = "ok";
    } else {
      el.gate.textContent = `Not sent: ${verdict.reasons.map((r) => r.message).join("; ")}.`;
      el.gate.className = "refused";
    }
    refreshButtons();
    const sending = el.autoJudge.checked && verdict.ok && validAddress() !== undefined && state.config !== undefined ? judge() : undefined;
    const features = await judgedFeatures(bytes, state.inputShape, recording.fileName);
    state.analysis = { verdict, features };
    drawSpectrogram(el.canvas, features.db);
    const { rows, frames } = features.db;
    el.canvas.setAttribute("aria-label", `Log-mel spectrogram of the judged 3 seconds: ${rows} mel bands by ${frames} frames`);
    el.caption.textContent =
      `The ${rows} mel bands (low at the bottom) over the ${frames} frames the judge hears, 0.5 s to 3.5 s; brighter is louder, ` +
      "measured against the loudest cell, so a silent recording shows as bright everywhere.";
    refreshButtons();
    await sending;
  } catch (e) {
    el.gate.textContent = "";
    showError(el.recordError, `This recording cannot be judged: ${messageOf(e)}`);
  }
  refreshButtons();
}

async function judge(): Promise<void> {
  const config = state.config;
  const recording = state.recording;
  const address = validAddress();
  if (config === undefined || recording === undefined || address === undefined || state.verdict?.ok !== true || busy) return;
  busy = true;
  refreshButtons();
  showError(el.judgeError, undefined);
  el.verdict.hidden = true;
  el.judgeStatus.textContent = "Sending the recording…";
  const expectedMs = config.expectedProofSeconds === undefined ? undefined : config.expectedProofSeconds * 1000;
  let last: JobView | undefined;
  const tick = setInterval(() => {
    if (last !== undefined) {
      renderStages(el.stages, last, Date.now());
      el.judgeStatus.textContent = elapsedText(last, Date.now(), last.expectedRunMs ?? expectedMs);
    }
  }, 200);
  try {
    state.proofRequests++;
    const job = await api.submit(config.model, address, recording.blob, recording.fileName);
    state.sentAt = performance.now();
    const done = await followJob(api, job.id, (j) => {
      last = j;
      state.job = j;
      renderStages(el.stages, j, Date.now());
    });
    clearInterval(tick);
    renderStages(el.stages, done, Date.now());
    el.judgeStatus.textContent = elapsedText(done, Date.now(), done.expectedRunMs ?? expectedMs);
    if (done.status !== "succeeded") throw new Error(done.error ?? `the job ended ${done.status}`);
    const result = await api.result(done.id);
    state.result = result;
    state.walletClaim = result.claim;
    showVerdict(result.judgment?.score, config);
  } catch (e) {
    showError(el.judgeError, `The judge could not score it: ${messageOf(e)}`);
  } finally {
    clearInterval(tick);
    busy = false;
    refreshButtons();
  }
}

function showVerdict(score: number | undefined, config: PageConfig): void {
  if (score === undefined) throw new Error("the result has no judgment (is the served model a judge?)");
  el.score.textContent = score.toFixed(4);
  const reward = config.reward;
  if (reward === null) {
    el.threshold.textContent = "No reward is set up on this server.";
    el.earns.textContent = "";
    state.earns = false;
  } else {
    const threshold = Number(reward.threshold);
    state.earns = score >= threshold;
    el.threshold.textContent = `The reward pays a score of ${reward.threshold} or more.`;
    el.earns.textContent = state.earns
      ? `It earns the reward: ${formatEther(reward.amount)} ETH.`
      : `It is below the threshold, so it does not earn the reward.`;
    el.earns.className = state.earns ? "ok" : "refused";
  }
  el.verdict.hidden = false;
  state.scoreShownAt = performance.now();
}

async function claim(): Promise<void> {
  if (state.job === undefined || busy) return;
  busy = true;
  refreshButtons();
  showError(el.claimError, undefined);
  el.claimStatus.textContent = "Sending the claim (the server pays the gas)…";
  try {
    const receipt = await api.claim(state.job.id);
    el.claimStatus.textContent = "Paid through the server (it paid the gas).";
    el.claimReceipt.replaceChildren(
      `Paid ${formatEther(receipt.amount)} ETH to ${receipt.recipient} in block ${receipt.blockNumber}. Transaction: `,
      Object.assign(document.createElement("code"), { className: "hash", textContent: receipt.txHash }),
    );
    el.claimReceipt.hidden = false;
  } catch (e) {
    el.claimStatus.textContent = "";
    showError(el.claimError, claimRefusal(e));
  } finally {
    busy = false;
    refreshButtons();
  }
}

/** The server's refusal in words; an already-paid recording says so first. */
function claimRefusal(e: unknown): string {
  if (e instanceof ApiProblem) {
    if (e.type?.endsWith("/already-paid") === true || (e.status === 409 && /already paid/i.test(`${e.title} ${e.detail}`)))
      return "Already paid: the reward for this recording has been paid; there is nothing more to claim.";
    return `Not paid: ${e.detail || e.title}`;
  }
  return `Not paid: ${messageOf(e)}`;
}

async function claimFromWallet(): Promise<void> {
  const reward = state.config?.reward;
  if (state.walletClaim === undefined || reward == null || busy) return;
  busy = true;
  refreshButtons();
  showError(el.claimError, undefined);
  el.claimStatus.textContent = "Confirm the claim in your wallet…";
  try {
    const hash = await claimWithWallet(state.walletClaim, reward);
    el.claimStatus.textContent = "Paid through your wallet.";
    el.claimReceipt.replaceChildren(
      "Claimed from your wallet. Transaction: ",
      Object.assign(document.createElement("code"), { className: "hash", textContent: hash }),
    );
    el.claimReceipt.hidden = false;
  } catch (e) {
    el.claimStatus.textContent = "";
    showError(el.claimError, `Not paid: ${messageOf(e)}`);
  } finally {
    busy = false;
    refreshButtons();
  }
}

async function proveHere(): Promise<void> {
  const config = state.config;
  const address = validAddress();
  if (config === undefined || address === undefined || state.analysis?.verdict.ok !== true || busy) return;
  busy = true;
  refreshButtons();
  showError(el.deviceError, undefined);
  try {
    const { proveOnDevice, deviceClaim } = await deviceModule();
    const proof = await proveOnDevice(api, config.model, state.analysis.features.input, address, config.reward, (stage) => {
      el.deviceStatus.textContent = `On this device: ${stage}…`;
    });
    state.deviceProof = proof;
    el.deviceStatus.textContent =
      `Proved on this device with ${proof.threads} thread${proof.threads === 1 ? "" : "s"}: score ${proof.score.toFixed(4)}, ` +
      `${proof.verified ? "the proof verifies" : "the proof does NOT verify"}. ` +
      `Proof ${seconds(proof.timings.proveMs)}, witness ${seconds(proof.timings.witnessMs)}, check ${seconds(proof.timings.verifyMs)}, ` +
      `engine start ${seconds(proof.timings.initMs + proof.timings.threadPoolMs)}, download ${seconds(proof.downloadMs)}; ` +
      `total ${seconds(proof.totalMs)}. Your recording never left this browser.`;
    if (!proof.verified) showError(el.deviceError, "The proof made on this device does not verify.");
    else if (config.reward?.mode === "open") {
      // An open reward pays any valid proof bound to the recipient: the wallet can send this one.
      state.walletClaim = deviceClaim(proof, address);
      showVerdict(proof.score, config);
      if (hasWallet() && state.earns) el.deviceStatus.textContent += " Claim it with your wallet below.";
    }
  } catch (e) {
    el.deviceStatus.textContent = "";
    showError(el.deviceError, messageOf(e));
  } finally {
    busy = false;
    refreshButtons();
  }
}

let recorder: Awaited<ReturnType<typeof startRecording>> | undefined;

el.record.addEventListener("click", async () => {
  showError(el.recordError, undefined);
  void analysisModule(); // loads while the person sings
  try {
    recorder = await startRecording({
      onLevel: (level) => (el.level.value = level),
      onTick: (s) => (el.timer.textContent = `${s.toFixed(1)} s`),
    });
    el.record.disabled = true;
    el.stop.disabled = false;
    el.stop.focus();
  } catch (e) {
    showError(el.recordError, messageOf(e));
  }
});

el.stop.addEventListener("click", async () => {
  if (recorder === undefined) return;
  el.stop.disabled = true;
  state.stoppedAt = performance.now();
  const recording = await recorder.stop();
  recorder = undefined;
  el.record.disabled = false;
  el.record.focus();
  await useRecording(recording);
});

el.file.addEventListener("change", async () => {
  const file = el.file.files?.[0];
  if (file === undefined) return;
  state.stoppedAt = performance.now();
  await useRecording({ blob: file, fileName: file.name, seconds: Number.NaN });
});

el.address.addEventListener("input", () => {
  el.address.setAttribute("aria-invalid", String(el.address.value.trim() !== "" && validAddress() === undefined));
  refreshButtons();
});
el.judge.addEventListener("click", () => void judge());
el.proveHere.addEventListener("click", () => void proveHere());
el.claim.addEventListener("click", () => void claim());
el.claimWallet.addEventListener("click", () => void claimFromWallet());

void loadConfig();
