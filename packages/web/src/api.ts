/** The server's page API (docs/http-api.md, "The page"): config, page sessions, proofs, job events, claims. */

export interface RewardInfo {
  address: string;
  chainId: string;
  round: string;
  /** The score that pays, as a decimal string (e.g. "0.5"). */
  threshold: string;
  /** What one claim pays, in wei (decimal string). */
  amount: string;
  mode: string;
  /** Whether proofs bind the domain key (chain, contract, round, recipient) rather than the bare address; default true. */
  domainBound?: boolean;
}

export interface PageConfig {
  model: string;
  pageSessions: boolean;
  relayer: { address: string } | null;
  reward: RewardInfo | null;
  expectedProofSeconds?: number;
  /** The model's spectrogram input shape, when the server says (else read from GET /v1/models/{model}). */
  inputShape?: number[];
}

export interface PageSession {
  token: string;
  expiresAt: string;
  limits?: { proofs?: number };
}

export interface JobView {
  id: string;
  model: string;
  status: "queued" | "running" | "succeeded" | "failed" | "canceled";
  stage?: string;
  stages?: Record<string, string>;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  expectedRunMs?: number;
  queuePosition?: number;
  error?: string;
}

export interface JobResult {
  model: string;
  proof: Record<string, unknown>;
  judgment?: { recipient: string; score: number; scoreFelt: string };
  claim?: { function: string; args: (string | string[])[] };
  features?: number[];
  verified: boolean;
  proveMs: number;
}

export interface ClaimReceipt {
  txHash: string;
  blockNumber: number;
  recipient: string;
  amount: string;
  gasUsed?: string;
  gasCostWei?: string;
}

export const TERMINAL = ["succeeded", "failed", "canceled"];

/** A refusal the server explained (RFC 9457 problem details): `detail` is meant for people. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly type?: string,
  ) {
    super(detail || title);
  }
}

async function problemOf(res: Response): Promise<ApiProblem> {
  const text = await res.text();
  try {
    const p = JSON.parse(text) as { title?: string; detail?: string; type?: string; message?: string };
    return new ApiProblem(res.status, p.title ?? res.statusText, p.detail ?? p.message ?? "", p.type);
  } catch {
    return new ApiProblem(res.status, res.statusText, text.slice(0, 200));
  }
}

/** The server's base URL: `?server=` in the page's address, else VITE_ZK_SERVER at build time, else the page's own origin. */
export function serverBase(location: Location, envServer: string | undefined): string {
  const fromQuery = new URLSearchParams(location.search).get("server");
  const base = fromQuery ?? envServer ?? location.origin;
  return base.replace(/\/+$/, "");
}

export class PageApi {
  #session: PageSession | undefined;
  /** Proofs sent with the current session (the server allows `limits.proofs` per session). */
  #proofsSent = 0;

  constructor(readonly base: string) {}

  async #fetch(path: string, init: RequestInit = {}, auth = false): Promise<Response> {
    const headers = new Headers(init.headers);
    if (auth) headers.set("authorization", `Bearer ${await this.token()}`);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { ...init, headers });
    } catch (e) {
      throw new ApiProblem(
        0,
        "Server unreachable",
        `cannot reach the server at ${this.base} (${(e as Error).message}); check that it runs`,
      );
    }
    if (!res.ok) throw await problemOf(res);
    return res;
  }

  async config(): Promise<PageConfig> {
    return (await (await this.#fetch("/v1/page/config")).json()) as PageConfig;
  }

  /**
   * A page session's token: asked for once, and again shortly before it expires or, for a
   * new proof, once the session's proofs are used up. (A job is visible to the session that
   * sent it only, so the page follows and claims its latest job with the latest session.)
   */
  async token(forNewProof = false): Promise<string> {
    const s = this.#session;
    const spent = forNewProof && s?.limits?.proofs !== undefined && this.#proofsSent >= s.limits.proofs;
    if (s !== undefined && !spent && Date.parse(s.expiresAt) - Date.now() > 30_000) return s.token;
    const res = await this.#fetch("/v1/page-sessions", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    this.#session = (await res.json()) as PageSession;
    this.#proofsSent = 0;
    return this.#session.token;
  }

  /** The spectrogram input's shape, e.g. [1, 1, 16, 20]. */
  async inputShape(config: PageConfig): Promise<number[]> {
    if (config.inputShape !== undefined) return config.inputShape;
    const model = (await (await this.#fetch(`/v1/models/${encodeURIComponent(config.model)}`, {}, true)).json()) as {
      inputs: { shape: (number | null)[] }[];
    };
    if (model.inputs.length !== 1)
      throw new Error(`model ${config.model} takes ${model.inputs.length} inputs; the page judges one spectrogram`);
    return model.inputs[0]!.shape.map((d) => d ?? 1);
  }

  /** Sends the recording for `address`; returns the queued job. */
  async submit(model: string, address: string, audio: Blob, fileName: string): Promise<JobView> {
    const form = new FormData();
    form.set("address", address);
    form.set("audio", audio, fileName);
    const token = await this.token(true);
    const res = await this.#fetch(`/v1/models/${encodeURIComponent(model)}/proofs`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    this.#proofsSent++;
    const body = (await res.json()) as JobView | { job: JobView };
    return "job" in body ? body.job : body;
  }

  async job(id: string, signal?: AbortSignal): Promise<JobView> {
    return (await (await this.#fetch(`/v1/jobs/${id}`, { signal }, true)).json()) as JobView;
  }

  /** The job's event stream (text/event-stream), for jobEvents to read. */
  async events(id: string, signal: AbortSignal): Promise<Response> {
    return this.#fetch(`/v1/jobs/${id}/events`, { signal, headers: { accept: "text/event-stream" } }, true);
  }

  async result(id: string): Promise<JobResult> {
    return (await (await this.#fetch(`/v1/jobs/${id}/result`, {}, true)).json()) as JobResult;
  }

  async claim(id: string): Promise<ClaimReceipt> {
    const res = await this.#fetch(
      `/v1/jobs/${id}/claim`,
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
      true,
    );
    return (await res.json()) as ClaimReceipt;
  }

  /** A model file for proving on this device (settings, compiled, vk, pk, srs). */
  async artifact(model: string, kind: string): Promise<Uint8Array> {
    const res = await this.#fetch(`/v1/models/${encodeURIComponent(model)}/artifacts/${kind}`, {}, true);
    return new Uint8Array(await res.arrayBuffer());
  }
}
