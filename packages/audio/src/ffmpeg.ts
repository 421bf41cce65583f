// Node only: decodes through an installed ffmpeg what the built-in decoders do not.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ZkError } from "./errors.js";
import { loadWindow, sliceWindow, type PcmAudio } from "./pcm.js";
import type { AudioFormat } from "./sniff.js";

const INSTALL = "install ffmpeg (e.g. apt-get install ffmpeg) or convert the recording to WAV, MP3 or Ogg/Opus";

function channelsOf(layout: string): number {
  if (layout === "mono") return 1;
  if (layout === "stereo") return 2;
  const n = /^(\d+) channels/.exec(layout);
  if (n) return Number(n[1]);
  const surround = /^(\d+)\.(\d+)/.exec(layout); // e.g. 5.1 -> 6
  return surround ? Number(surround[1]) + Number(surround[2]) : 0;
}

/**
 * Decodes the first offset + duration seconds to 16-bit PCM at the stream's own rate
 * and channels, as librosa's audioread fallback (ffmpeg, s16le) does for these formats.
 */
export async function ffmpegDecode(
  bytes: Uint8Array,
  format: AudioFormat,
  offsetSeconds: number,
  durationSeconds: number,
  what: string,
): Promise<PcmAudio> {
  const dir = await mkdtemp(path.join(tmpdir(), "zk-audio-"));
  try {
    const input = path.join(dir, "input");
    await writeFile(input, bytes);
    const args = [
      "-hide_banner",
      "-nostdin",
      "-i",
      input,
      "-map",
      "0:a:0",
      "-t",
      String(offsetSeconds + durationSeconds + 0.1),
      "-f",
      "s16le",
      "-acodec",
      "pcm_s16le",
      "pipe:1",
    ];
    const { stdout, stderr, code } = await new Promise<{ stdout: Buffer; stderr: string; code: number | null }>((resolve, reject) => {
      const child = spawn("ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      let err = "";
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", (e: NodeJS.ErrnoException) =>
        reject(e.code === "ENOENT" ? new ZkError(`${what} is ${format}, which needs ffmpeg to decode; ${INSTALL}`) : e),
      );
      child.on("close", (c) => resolve({ stdout: Buffer.concat(out), stderr: err, code: c }));
    });
    const stream = /Stream #0:\d+[^:]*: Audio: [^\n]*?, (\d+) Hz, ([^,\n]+)/.exec(stderr);
    if (code !== 0 || stream === null) {
      const reason = stderr.trim().split("\n").pop() ?? "";
      throw new ZkError(
        `${what}: ffmpeg could not decode this ${format} file (${reason.slice(0, 160)}); the file is corrupt, truncated or has no audio`,
      );
    }
    const sampleRate = Number(stream[1]);
    const channelCount = channelsOf(stream[2]!.trim());
    if (channelCount < 1) throw new ZkError(`${what}: unsupported channel layout "${stream[2]}"; convert it to mono or stereo`);
    const frames = Math.floor(stdout.length / 2 / channelCount);
    const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
    for (let f = 0; f < frames; f++) {
      for (let c = 0; c < channelCount; c++) channels[c]![f] = stdout.readInt16LE((f * channelCount + c) * 2) / 32768;
    }
    return {
      sampleRate,
      channels: sliceWindow(channels, loadWindow(sampleRate, offsetSeconds, durationSeconds)),
      format: `${format} (ffmpeg)`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
