import ipaddr from "ipaddr.js";
import { z } from "zod";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { DEFAULT_GATE_OPTIONS, type GateOptions } from "@hardhat-zkml/audio/gate.js";
import { DEFAULT_QUOTA_LIMITS } from "./quotas.js";

/**
 * The service's settings from the environment (ZK_*): one schema parses all of them, and a
 * bad value is one ZkError naming the variable. README ("The proving service") lists them.
 */

/** An unset or empty variable takes the default. */
const unset = (v: unknown) => (v === "" ? undefined : v);

/** A setting parsed from its text; `parse` answers undefined for a value it refuses, and `refusal` says why. */
function parsed<T>(fallback: T, parse: (text: string) => T | undefined, refusal: (text: string) => string) {
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return fallback;
        const value = parse(text);
        if (value === undefined) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: refusal(text) });
          return z.NEVER;
        }
        return value;
      }),
  );
}

function wholeNumber(name: string, fallback: number, min: number) {
  return parsed(
    fallback,
    (text) => (Number.isInteger(Number(text)) && Number(text) >= min ? Number(text) : undefined),
    (text) => `${name} must be a whole number >= ${min}, got "${text}"`,
  );
}

/** A wei amount (a whole number of any size). */
function weiAmount(name: string, fallback: bigint) {
  return parsed(
    fallback,
    (text) => (/^[0-9]+$/.test(text.trim()) ? BigInt(text.trim()) : undefined),
    (text) => `${name} must be an amount in wei (a whole number), got "${text}"`,
  );
}

const text = z.preprocess(unset, z.string().optional());

const list = z.preprocess(
  unset,
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
);

/** ZK_GATE_<THRESHOLD> for each of the gate's thresholds, e.g. minLevelDbfs -> ZK_GATE_MIN_LEVEL_DBFS. */
export function gateVariable(key: keyof GateOptions): string {
  return `ZK_GATE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

const gateThresholds = Object.fromEntries(
  (Object.keys(DEFAULT_GATE_OPTIONS) as (keyof GateOptions)[]).map((key) => {
    const name = gateVariable(key);
    return [
      name,
      z.preprocess(
        unset,
        z
          .string()
          .optional()
          .refine((v) => v === undefined || Number.isFinite(Number(v)), { message: `${name} must be a number` }),
      ),
    ];
  }),
);

/** 0.05 ETH: the relayer's default gas budget per reward round. */
export const DEFAULT_RELAYER_BUDGET_WEI = 50_000_000_000_000_000n;

export const serviceSettingsSchema = z.object({
  ZK_REDIS_URL: text,
  ZK_BACKEND: text,
  ZK_REWARD_ADDRESS: text,
  ZK_DATA_DIR: text,
  ZK_CALLBACK_SECRET: text,
  ZK_CALLBACK_ALLOW: text,
  ZK_ATTESTER_KEY: text,
  ZK_ATTESTATION_TTL: wholeNumber("ZK_ATTESTATION_TTL", 3600, 60),
  ZK_LOCK_DURATION_MS: wholeNumber("ZK_LOCK_DURATION_MS", 30_000, 1000),
  ZK_QUOTA_RECIPIENT_ROUND: wholeNumber("ZK_QUOTA_RECIPIENT_ROUND", DEFAULT_QUOTA_LIMITS.perRecipientPerRound, 0),
  ZK_QUOTA_KEY_HOUR: wholeNumber("ZK_QUOTA_KEY_HOUR", DEFAULT_QUOTA_LIMITS.perKeyPerHour, 0),
  ZK_BODY_LIMIT: wholeNumber("ZK_BODY_LIMIT", 1 << 20, 1024),
  ZK_AUDIO_LIMIT: wholeNumber("ZK_AUDIO_LIMIT", 10 << 20, 1024),
  ZK_CORS_ORIGINS: list,
  ZK_RATE_LIMIT: wholeNumber("ZK_RATE_LIMIT", 60, 1),
  ZK_TRUST_PROXY: list.superRefine((entries, ctx) => {
    for (const entry of entries) {
      if (!ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `ZK_TRUST_PROXY: "${entry}" is not an IP address or CIDR range; list your reverse proxies' addresses`,
        });
    }
  }),
  ZK_AUTH_FAILURE_LIMIT: wholeNumber("ZK_AUTH_FAILURE_LIMIT", 10, 1),
  ZK_AUTH_FAILURE_WINDOW: wholeNumber("ZK_AUTH_FAILURE_WINDOW", 900, 1),
  ZK_MAX_WAIT: wholeNumber("ZK_MAX_WAIT", 120, 0),
  ZK_RETENTION_SECONDS: wholeNumber("ZK_RETENTION_SECONDS", 86_400, 1),
  ZK_LOG: z.preprocess(unset, z.enum(["0", "1"], { message: "ZK_LOG must be 1 (log requests) or 0" }).optional()),
  ZK_PAGE: z.preprocess(unset, z.enum(["0", "1"], { message: "ZK_PAGE must be 1 (serve the page and page sessions) or 0" }).optional()),
  ZK_PAGE_ORIGINS: list.superRefine((entries, ctx) => {
    for (const entry of entries) {
      let origin: string | undefined;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = undefined;
      }
      if (origin !== entry)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `ZK_PAGE_ORIGINS: "${entry}" is not an origin; write scheme://host[:port] with no path or trailing slash`,
        });
    }
  }),
  ZK_PAGE_SESSIONS_PER_HOUR: wholeNumber("ZK_PAGE_SESSIONS_PER_HOUR", 20, 1),
  ZK_PAGE_SESSION_PROOFS: wholeNumber("ZK_PAGE_SESSION_PROOFS", 5, 1),
  ZK_PAGE_SESSION_TTL: wholeNumber("ZK_PAGE_SESSION_TTL", 900, 60),
  ZK_WEB_DIR: text,
  ZK_RELAYER_KEY: z.preprocess(
    unset,
    z
      .string()
      .regex(/^(0x)?[0-9a-fA-F]{64}$/, { message: "ZK_RELAYER_KEY must be the relayer account's private key: 0x + 64 hex digits" })
      .optional(),
  ),
  ZK_RELAYER_BUDGET_WEI: weiAmount("ZK_RELAYER_BUDGET_WEI", DEFAULT_RELAYER_BUDGET_WEI),
  ZK_GATE: z.preprocess(
    (v) => (typeof v === "string" && v !== "" ? v.toLowerCase() : undefined),
    z.enum(["on", "off", "1", "0", "true", "false"], { message: "ZK_GATE must be on or off" }).optional(),
  ),
  ...gateThresholds,
});

export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;

/** Parses the ZK_* variables of `env`; the first bad one is a ZkError that names it. */
export function parseServiceSettings(env: NodeJS.ProcessEnv): ServiceSettings {
  const picked = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("ZK_")));
  const result = serviceSettingsSchema.safeParse(picked);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "ZK_*");
  const named = issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
  const message = named.includes(', got "') ? named : `${named}, got "${picked[name]}"`;
  throw new ZkError(message);
}

/** The gate overrides the settings carry; false: ZK_GATE=off (attested rewards are gated anyway). */
export function gateSettingsOf(settings: ServiceSettings): Partial<GateOptions> | false {
  if (settings.ZK_GATE !== undefined && ["off", "0", "false"].includes(settings.ZK_GATE)) return false;
  const gate: Partial<GateOptions> = {};
  for (const key of Object.keys(DEFAULT_GATE_OPTIONS) as (keyof GateOptions)[]) {
    const value = (settings as Record<string, unknown>)[gateVariable(key)];
    if (typeof value === "string") gate[key] = Number(value);
  }
  return gate;
}
