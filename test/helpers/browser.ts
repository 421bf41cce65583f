import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { decodeClip } from "@hardhat-zkml/audio/decode.js";
import { toMono } from "@hardhat-zkml/audio/mono.js";
import { ROOT } from "./temp-project.js";
import { encodeWav16 } from "./synth-audio.js";

/** Debian's Chromium (scripts/setup.sh installs it); playwright-core downloads no browser. */
export const CHROMIUM = "/usr/bin/chromium";
/** Screenshots of each state the browser tests reach (gitignored); look at them. */
export const SCREENSHOTS = path.join(ROOT, ".test-screenshots");

/**
 * Headless Chromium whose microphone is `micWav` (looped by Chromium's fake capture
 * device), with the permission prompt answered yes.
 */
export async function launchChromium(micWav?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      ...(micWav === undefined ? [] : [`--use-file-for-fake-audio-capture=${micWav}`]),
    ],
  });
}

/** A new page at `width` x 900 px whose console errors and page errors are collected. */
export async function openPage(browser: Browser, url: string, width = 1000): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  // A refused request (a 409 the page explains) is logged by Chromium too; the tests assert what the page shows instead.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource: the server responded with a status of"))
      errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A voice for the fake microphone: a 3.6 s fixture (espeak-ng speech by default) three times
 * over, as 16-bit mono WAV, so 4 s recorded from any point of the loop hold a voice. Chromium
 * plays it from its start for each capture, so every recording from one file is the same.
 */
export async function voiceMicWav(dir: string, fixture = "speech-22050-s16.wav"): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const bytes = new Uint8Array(await readFile(path.join(ROOT, "test", "fixtures", "audio", fixture)));
  const pcm = await decodeClip(bytes, 0, 60, fixture);
  const one = toMono(pcm.channels);
  const looped = new Float32Array(one.length * 3);
  for (let i = 0; i < 3; i++) looped.set(one, i * one.length);
  const file = path.join(dir, `mic-${fixture.replace(/\.\w+$/, "")}.wav`);
  await writeFile(file, encodeWav16(looped, pcm.sampleRate));
  return file;
}

/** Whether the canvas holds more than one colour (a drawn spectrogram, not a blank box). */
export async function canvasColours(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    // (The root tsconfig has no DOM types; this is the part of HTMLCanvasElement used.)
    const canvas = c as unknown as {
      width: number;
      height: number;
      getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    };
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

/** Builds the page (packages/web) into its dist/, which the server serves at /. */
export async function buildPage(): Promise<string> {
  const { build } = await import("vite");
  const root = path.join(ROOT, "packages", "web");
  await build({ root, configFile: path.join(root, "vite.config.ts"), logLevel: "warn" });
  return path.join(root, "dist");
}
