/** The microphone through MediaRecorder: WebM/Opus in Chromium, Ogg/Opus in Firefox, with a level and a clock. */

/** Ogg/Opus first (Firefox records it; Chromium does not, and takes WebM/Opus), then what else the browser has (Safari: MP4/AAC). */
const PREFERRED_TYPES = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"];

export interface Recording {
  blob: Blob;
  /** A file name whose extension matches the container, for the upload. */
  fileName: string;
  seconds: number;
}

export interface RecorderHooks {
  /** RMS level of the last few milliseconds, 0..1. */
  onLevel(level: number): void;
  onTick(seconds: number): void;
}

export function recordingMimeType(): string | undefined {
  return PREFERRED_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
}

function extensionOf(mime: string): string {
  if (mime.includes("webm")) return "webm";
  if (mime.includes("ogg")) return "ogg";
  if (mime.includes("mp4")) return "m4a";
  return "audio";
}

/** Starts recording now; `stop()` ends it and resolves with the recording. */
export async function startRecording(hooks: RecorderHooks): Promise<{ stop(): Promise<Recording> }> {
  if (navigator.mediaDevices?.getUserMedia === undefined)
    throw new Error("this browser gives the page no microphone here (it needs https or localhost); choose a recording file instead");
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
  } catch (e) {
    const name = (e as DOMException).name;
    throw new Error(
      name === "NotAllowedError"
        ? "the microphone was not allowed; allow it in the browser's site settings, or choose a recording file"
        : name === "NotFoundError"
          ? "no microphone was found; plug one in, or choose a recording file"
          : `the microphone could not start (${(e as Error).message})`,
    );
  }
  const mimeType = recordingMimeType();
  const recorder = new MediaRecorder(stream, mimeType === undefined ? {} : { mimeType });
  const chunks: Blob[] = [];
  recorder.addEventListener("dataavailable", (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  });

  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const buffer = new Float32Array(analyser.fftSize);
  const started = performance.now();
  let frame = 0;
  const tick = () => {
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const v of buffer) sum += v * v;
    hooks.onLevel(Math.min(1, Math.sqrt(sum / buffer.length) * 4));
    hooks.onTick((performance.now() - started) / 1000);
    frame = requestAnimationFrame(tick);
  };
  tick();
  recorder.start(250);

  return {
    stop: () =>
      new Promise<Recording>((resolve) => {
        recorder.addEventListener(
          "stop",
          () => {
            cancelAnimationFrame(frame);
            stream.getTracks().forEach((t) => t.stop());
            void context.close();
            hooks.onLevel(0);
            const type = recorder.mimeType || mimeType || "audio/webm";
            resolve({
              blob: new Blob(chunks, { type }),
              fileName: `recording.${extensionOf(type)}`,
              seconds: (performance.now() - started) / 1000,
            });
          },
          { once: true },
        );
        recorder.stop();
      }),
  };
}
