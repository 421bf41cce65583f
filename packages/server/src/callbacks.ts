import { createHmac, timingSafeEqual } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { callbackConnection, CallbackRefused, PUBLIC_ONLY, type CallbackAllowList } from "./callback-targets.js";

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = "x-zk-signature";
/** Header carrying the delivery attempt: 1, then 2, 3, ... for retries. */
export const ATTEMPT_HEADER = "x-zk-attempt";

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
  /** Where callbacks may go besides public addresses (ZK_CALLBACK_ALLOW). */
  allow?: CallbackAllowList;
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { attempts: 6, baseDelayMs: 1000, timeoutMs: 10_000 };

/**
 * One signed POST of `body`; "" on a 2xx answer, else what went wrong. Redirects are not
 * followed (a 3xx is a failed attempt). Throws CallbackRefused, before anything is sent,
 * when the target's address is not allowed (checked as the connection is made).
 */
export async function postOnce(url: string, body: string, secret: string, attempt: number, policy: CallbackPolicy): Promise<string> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  const connection = callbackConnection(target, policy.allow ?? PUBLIC_ONLY);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<string>((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        agent: false,
        ...connection,
        signal: AbortSignal.timeout(policy.timeoutMs),
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signPayload(secret, body), "x-zk-attempt": String(attempt) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on("error", (e) => resolve(e.message));
        res.on("end", () => resolve(status >= 200 && status < 300 ? "" : `HTTP ${status}`));
        res.resume();
      },
    );
    req.on("error", (e) => (e instanceof CallbackRefused ? reject(e) : resolve(e.message)));
    req.end(body);
  });
}

/**
 * POSTs `payload` as JSON to `url`, signed with `secret`; retries with exponential
 * backoff until a 2xx answer or the attempts run out. Returns the attempts used, or
 * throws after the last failure (at once if the target is refused: that does not change
 * with retries). Each attempt is signed afresh (new timestamp).
 */
export async function deliverCallback(
  url: string,
  payload: unknown,
  secret: string,
  policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
  stop?: AbortSignal,
): Promise<number> {
  const body = JSON.stringify(payload);
  let last = "";
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    stop?.throwIfAborted();
    last = await postOnce(url, body, secret, attempt, policy);
    if (last === "") return attempt;
    if (attempt < policy.attempts) await sleep(policy.baseDelayMs * 2 ** (attempt - 1), undefined, { signal: stop });
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

/** Where a callback's delivery is recorded, so that a restart can finish what a stop interrupted. */
export interface CallbackLedger {
  pending(id: string): void;
  ended(id: string, error?: string): void;
}

type FinishedJob = {
  id: string;
  request: { model: string; callbackUrl?: string };
  status: string;
  error?: string;
  result?: unknown;
};

/**
 * Sends a finished job to its callbackUrl, if it has one; failures after the retries are
 * logged. With a ledger, each delivery is recorded pending before the first attempt and
 * ended after the last; `notify.stop()` abandons the retries in flight, which stay
 * pending in the ledger for the next start to deliver.
 */
export function callbackNotifier(
  secret: string | undefined,
  log: (line: string) => void,
  policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
  ledger?: CallbackLedger,
): ((job: FinishedJob) => void) & { stop(): void } {
  const stopping = new AbortController();
  const record = (f: () => void) => {
    try {
      f();
    } catch (e) {
      log(`callback ledger: ${(e as Error).message}`);
    }
  };
  const notify = (job: FinishedJob): void => {
    const url = job.request.callbackUrl;
    if (url === undefined || secret === undefined || stopping.signal.aborted) return;
    if (ledger) record(() => ledger.pending(job.id));
    deliverCallback(url, callbackPayload(job), secret, policy, stopping.signal).then(
      () => ledger && record(() => ledger.ended(job.id)),
      (e: Error) => {
        if (stopping.signal.aborted) return; // still pending: delivered after the next start
        if (ledger) record(() => ledger.ended(job.id, e.message));
        log(`job ${job.id}: ${e.message}`);
      },
    );
  };
  return Object.assign(notify, { stop: () => stopping.abort() });
}
