/** Where progress goes: a live line on a terminal, a line every few seconds otherwise. */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

/** "label (elapsed 12 s, expected ~40 s from the last run)"; without the expectation on a first run. */
export function progressLine(label: string, elapsedMs: number, expectedMs?: number): string {
  const expected = expectedMs !== undefined ? `, expected ~${seconds(expectedMs)} from the last run` : "";
  const over = expectedMs !== undefined && elapsedMs > expectedMs * 1.5 + 2000 ? ", taking longer than last time" : "";
  return `${label} (elapsed ${seconds(elapsedMs)}${expected}${over})`;
}

/** A live line on a terminal; whole lines through console.log otherwise (logs, CI, captured output). */
export function defaultSink(): ProgressSink {
  return process.stdout.isTTY
    ? { isTTY: true, write: (t) => void process.stdout.write(t) }
    : { isTTY: false, write: (t) => console.log(t.replace(/\n$/, "")) };
}

/**
 * Runs `work` while reporting elapsed time against the expected duration: redrawn every
 * second on a terminal, printed every `everyMs` (default 5 s) when output is a log.
 */
export async function withProgress<T>(
  label: string,
  expectedMs: number | undefined,
  work: () => Promise<T>,
  sink: ProgressSink = defaultSink(),
  everyMs?: number,
): Promise<T> {
  const started = Date.now();
  const interval = everyMs ?? (sink.isTTY ? 1000 : 5000);
  const draw = () => {
    const line = progressLine(label, Date.now() - started, expectedMs);
    sink.write(sink.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  draw();
  const timer = setInterval(draw, interval);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    if (sink.isTTY) sink.write("\r\x1b[2K");
  }
}
