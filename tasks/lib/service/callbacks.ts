import { createHmac, timingSafeEqual } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = "x-zk-signature";

export function signPayload(secret: string, body: string, timestamp: number = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/** For receivers: true if `header` signs `body` with `secret` and is at most `toleranceSeconds` old. */
export function verifySignature(secret: string, body: string, header: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || typeof parts.v1 !== "string" || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const want = Buffer.from(signPayload(secret, body, t).split("v1=")[1]!, "hex");
  const got = Buffer.from(parts.v1, "hex");
  return got.length === want.length && timingSafeEqual(got, want);
}

export interface CallbackPolicy {
  attempts: number;
  /** First retry delay; doubled after each failure. */
  baseDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { attempts: 6, baseDelayMs: 1000, timeoutMs: 10_000 };

/**
 * POSTs `payload` as JSON to `url`, signed with `secret`; retries with exponential
 * backoff until a 2xx answer or the attempts run out. Returns the attempts used, or
 * throws after the last failure. Each attempt is signed afresh (new timestamp).
 */
export async function deliverCallback(
  url: string,
  payload: unknown,
  secret: string,
  policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
): Promise<number> {
  const body = JSON.stringify(payload);
  let last = "";
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: "POST",
        body,
        signal: AbortSignal.timeout(policy.timeoutMs),
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signPayload(secret, body), "x-zk-attempt": String(attempt) },
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return attempt;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (attempt < policy.attempts) await sleep(policy.baseDelayMs * 2 ** (attempt - 1));
  }
  throw new Error(`callback to ${url} failed after ${policy.attempts} attempts (${last})`);
}

/** What a callback receives: the job's id, status and, when it succeeded, the result. */
export function callbackPayload(job: {
  id: string;
  request: { model: string };
  status: string;
  error?: string;
  result?: unknown;
}): unknown {
  return { id: job.id, model: job.request.model, status: job.status, error: job.error, result: job.result };
}

/** Sends a finished job to its callbackUrl, if it has one; failures after the retries are logged. */
export function callbackNotifier(
  secret: string | undefined,
  log: (line: string) => void,
  policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
) {
  return (job: {
    id: string;
    request: { model: string; callbackUrl?: string };
    status: string;
    error?: string;
    result?: unknown;
  }): void => {
    const url = job.request.callbackUrl;
    if (url === undefined || secret === undefined) return;
    deliverCallback(url, callbackPayload(job), secret, policy).catch((e: Error) => log(`job ${job.id}: ${e.message}`));
  };
}
