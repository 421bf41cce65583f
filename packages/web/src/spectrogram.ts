import type { Spectrogram } from "@hardhat-zkml/audio";

/**
 * Draws the judge's dB spectrogram (bands x frames, 0 dB at the loudest cell down to
 * -80 dB) on the canvas: time left to right, low bands at the bottom, a dark-to-bright scale.
 */
export function drawSpectrogram(canvas: HTMLCanvasElement, db: Spectrogram): void {
  const { rows: bands, frames, data } = db;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (bands === 0 || frames === 0) return;
  const w = canvas.width / frames;
  const h = canvas.height / bands;
  for (let b = 0; b < bands; b++) {
    for (let f = 0; f < frames; f++) {
      const t = Math.max(0, Math.min(1, (data[b * frames + f]! + 80) / 80));
      ctx.fillStyle = colour(t);
      ctx.fillRect(Math.floor(f * w), Math.floor(canvas.height - (b + 1) * h), Math.ceil(w), Math.ceil(h));
    }
  }
}

/** 0 -> near black, 0.5 -> purple-red, 1 -> pale yellow (readable in grey too: brightness rises with t). */
function colour(t: number): string {
  const r = Math.round(255 * Math.min(1, t * 1.6));
  const g = Math.round(255 * Math.max(0, t * 1.4 - 0.4));
  const b = Math.round(255 * (t < 0.5 ? t * 1.2 : Math.max(0, 1.2 - t * 1.2) + (t > 0.9 ? (t - 0.9) * 5 : 0)));
  return `rgb(${r},${g},${Math.min(255, b)})`;
}
