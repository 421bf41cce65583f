import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { KeyStore, type Scope } from "@hardhat-zkml/server/key-store.js";
import { keysFile, resolveServiceConfig, type ServiceConfig } from "@hardhat-zkml/server/options.js";
import { startService, type RunningService, type ServiceHooks } from "@hardhat-zkml/server/service.js";
import { buildModel } from "./fixtures.js";

/** A job as the API answers it (`GET /v1/jobs/{id}`), the fields the service tests read. */
export interface JobView {
  id: string;
  status: string;
  stage?: string;
  attempts: number;
  links: { self: string; result: string };
  queuePosition?: number;
  expectedRunMs?: number;
  runMs?: number;
  error?: string;
  finishedAt?: string;
}

export const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** A service config on a free port and a fresh data folder, serving only the given models. */
export async function testServiceConfig(
  models: string[],
  env: NodeJS.ProcessEnv = {},
  args: { concurrency?: number } = {},
): Promise<ServiceConfig> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "zk-service-"));
  const zk = { ...hre.config.zk, models: Object.fromEntries(models.map((m) => [m, hre.config.zk.models[m]!])) };
  return resolveServiceConfig(hre.config.paths.root, zk, { port: 0, dataDir, concurrency: args.concurrency }, env);
}

export function createKey(dataDir: string, scopes: Scope[] = ["prove"], ratePerMinute = 1000, name = "test"): string {
  const keys = new KeyStore(keysFile(dataDir));
  try {
    return keys.create(name, scopes, ratePerMinute).token;
  } finally {
    keys.close();
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The judge's sample spectrogram that scores about 0.95. */
export async function judgeFeatures(label = "0.95"): Promise<number[]> {
  const samples = JSON.parse(
    await readFile(path.join(hre.config.paths.root, "models", "voiceJudgeSmall", "samples.json"), "utf8"),
  ) as Record<string, number[]>;
  return samples[label]!;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** POSTs a JSON proof request for voiceJudgeSmall (the sample features, for ALICE unless `body` says otherwise) and waits for it. */
export async function proveJsonAndWait(url: string, token: string, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${url}/v1/models/voiceJudgeSmall/proofs?wait=120`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify({ features: await judgeFeatures(), prover: ALICE, ...body }),
  });
}

/** Runs `use` against an embedded service of voiceJudgeSmall (built if needed) with a fresh `prove` key, then stops it. */
export async function withJudgeService(
  env: NodeJS.ProcessEnv,
  use: (service: RunningService, token: string) => Promise<void>,
  hooks: ServiceHooks = {},
): Promise<void> {
  await buildModel("voiceJudgeSmall");
  const config = await testServiceConfig(["voiceJudgeSmall"], env, { concurrency: 1 });
  const token = createKey(config.dataDir);
  const service = await startService(config, hooks);
  try {
    await use(service, token);
  } finally {
    await service.close();
    await removeDir(config.dataDir);
  }
}
