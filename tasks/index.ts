import { emptyTask, task } from "hardhat/config";
import { definePlugin } from "hardhat/plugins";
import "./type-extensions.js";
import { PLUGIN_ID } from "./lib/errors.js";

const modelOption = { name: "model", description: "Model name from zk.models (default: all models)", defaultValue: "" } as const;
const forceFlag = { name: "force", description: "Redo every step even if its inputs are unchanged" } as const;
const quietFlag = { name: "quiet", description: "Print only the summary" } as const;
const noCompileFlag = { name: "noCompile", description: "Do not run `hardhat build` afterwards" } as const;
const redisOption = { name: "redis", description: "Redis URL of the job queue (default: $ZK_REDIS_URL; unset: embedded)", defaultValue: "" } as const;
const concurrencyOption = { name: "concurrency", description: "Proofs at once in this process (default: one per core)", defaultValue: "" } as const;
const dataDirOption = { name: "dataDir", description: "Folder of the service's SQLite files (default: .zk-service)", defaultValue: "" } as const;
const inputOption = { name: "input", description: "ezkl input JSON (default: input.json beside the model's ONNX)", defaultValue: "" } as const;

/** Hardhat plugin: the ezkl zkML pipeline as `hardhat zk ...` tasks. */
const hardhatZkml = definePlugin({
  id: PLUGIN_ID,
  hookHandlers: {
    config: () => import("./hooks/config.js"),
    clean: () => import("./hooks/clean.js"),
  },
  tasks: [
    emptyTask("zk", "Zero-knowledge ML with ezkl: build circuits, verifiers, proofs").build(),
    task(["zk", "setup"], "settings -> calibrate -> compile -> SRS -> keys (incremental)")
      .addOption(modelOption)
      .addFlag(forceFlag)
      .addFlag(quietFlag)
      .setAction(() => import("./actions/setup.js"))
      .build(),
    task(["zk", "verifier"], "Generate the Halo2 Solidity verifier (per model, or reusable + VK artifact)")
      .addOption(modelOption)
      .addFlag(forceFlag)
      .addFlag(quietFlag)
      .addFlag(noCompileFlag)
      .setAction(() => import("./actions/verifier.js"))
      .build(),
    task(["zk", "attester"], "Generate the ezkl data attester for models whose inputs/outputs come from an on-chain call")
      .addOption(modelOption)
      .addFlag(forceFlag)
      .addFlag(quietFlag)
      .addFlag(noCompileFlag)
      .setAction(() => import("./actions/attester.js"))
      .build(),
    task(["zk", "prove"], "Prove a model's judgment in WASM; writes the proof JSON and verifier calldata")
      .addOption(modelOption)
      .addOption(inputOption)
      .addOption({ name: "prover", description: "Address bound into the proof (models with boundAddress)", defaultValue: "" })
      .addOption({ name: "out", description: "Output folder (default: artifacts-zk/<model>/proofs)", defaultValue: "" })
      .setAction(() => import("./actions/prove.js"))
      .build(),
    task(["zk", "verify"], "Verify a proof off-chain (WASM) and, with --verifier, on-chain")
      .addOption(modelOption)
      .addOption({ name: "proof", description: "Proof JSON file", defaultValue: "" })
      .addOption({ name: "verifier", description: "Deployed verifier address on --network", defaultValue: "" })
      .addOption({ name: "vk", description: "VK artifact address (reusable verifier)", defaultValue: "" })
      .setAction(() => import("./actions/verify.js"))
      .build(),
    task(["zk", "calldata"], "Calldata for verifyProof, or for the data attester with --attester")
      .addOption({ name: "proof", description: "Proof JSON file", defaultValue: "" })
      .addOption({ name: "vk", description: "VK artifact address (reusable verifier)", defaultValue: "" })
      .addFlag({ name: "attester", description: "Encode verifyWithDataAttestation(verifier, calldata)" })
      .addOption({ name: "verifier", description: "Verifier address the attester calls", defaultValue: "" })
      .setAction(() => import("./actions/calldata.js"))
      .build(),
    task(["zk", "deploy"], "Deploy a judge model's verifier and a funded JudgmentReward (Ignition)")
      .addOption(modelOption)
      .addOption({ name: "threshold", description: "Minimum score that earns the reward (0..1)", defaultValue: "0.5" })
      .addOption({ name: "reward", description: "ETH paid per claim", defaultValue: "0.01" })
      .addOption({ name: "fund", description: "ETH sent to the reward contract", defaultValue: "0.1" })
      .addFlag({ name: "domainBound", description: "Proofs must carry the key bound to this chain and contract" })
      .addFlag({ name: "allowInsecureSrs", description: "Deploy a dev-SRS verifier to a non-local network anyway" })
      .setAction(() => import("./actions/deploy.js"))
      .build(),
    task(["zk", "claim"], "Prove a judgment in WASM for an account and claim the reward")
      .addOption(modelOption)
      .addOption({ name: "reward", description: "JudgmentReward address", defaultValue: "" })
      .addOption({ name: "account", description: "Index of the claiming account", defaultValue: "0" })
      .addOption(inputOption)
      .setAction(() => import("./actions/claim.js"))
      .build(),
    task(["zk", "info"], "Circuit size, public-instance layout, artifact sizes, verifier size and deploy gas")
      .addOption(modelOption)
      .setAction(() => import("./actions/info.js"))
      .build(),
    task(["zk", "serve"], "Serve proofs over HTTP (embedded queue, or BullMQ with --redis)")
      .addOption({ name: "host", description: "Interface to listen on", defaultValue: "127.0.0.1" })
      .addOption({ name: "port", description: "Port (0: any free port)", defaultValue: "8080" })
      .addOption(redisOption)
      .addOption(concurrencyOption)
      .addOption({ name: "defaultModel", description: "Model for /prove and /service_output (default: the first judge model)", defaultValue: "" })
      .addOption(dataDirOption)
      .setAction(() => import("./actions/serve.js"))
      .build(),
    task(["zk", "worker"], "Prove jobs from the Redis queue (run any number, on any machine with the artifacts)")
      .addOption(redisOption)
      .addOption(concurrencyOption)
      .setAction(() => import("./actions/worker.js"))
      .build(),
    emptyTask(["zk", "keys"], "API keys of the proving service").build(),
    task(["zk", "keys", "create"], "Create an API key (the token is printed once)")
      .addOption({ name: "name", description: "Who or what the key is for", defaultValue: "" })
      .addOption({ name: "scopes", description: "Comma-separated: prove, admin", defaultValue: "prove" })
      .addOption({ name: "rateLimit", description: "Requests per minute", defaultValue: "60" })
      .addOption(dataDirOption)
      .setAction(() => import("./actions/keys-create.js"))
      .build(),
    task(["zk", "keys", "list"], "List API keys (ids, scopes, limits; never the secrets)")
      .addOption(dataDirOption)
      .setAction(() => import("./actions/keys.js"))
      .build(),
    task(["zk", "keys", "revoke"], "Revoke an API key")
      .addOption({ name: "id", description: "Key id (from `zk keys list`)", defaultValue: "" })
      .addOption(dataDirOption)
      .setAction(() => import("./actions/keys-revoke.js"))
      .build(),
    task(["zk", "clean"], "Delete zk build outputs and generated contracts")
      .addOption(modelOption)
      .setAction(() => import("./actions/clean.js"))
      .build(),
  ],
});

export default hardhatZkml;
