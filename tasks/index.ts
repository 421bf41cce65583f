import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import { definePlugin } from "hardhat/plugins";
import "./type-extensions.js";
import { guarded, serverAction } from "./actions/guard.js";
import { PACKAGE_NAME as PLUGIN_ID } from "./lib/plugin-id.js";

const modelOption = {
  name: "model",
  description: "Model name from zk.models (default: all models)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const requiredModel = { ...modelOption, description: "Model name from zk.models (required)" } as const;
/** An option with no default: absent is undefined, never a "" sentinel. */
const optional = <N extends string>(name: N, description: string) =>
  ({ name, description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined }) as const;
const optionalFile = <N extends string>(name: N, description: string) =>
  ({ name, description, type: ArgumentType.FILE_WITHOUT_DEFAULT, defaultValue: undefined }) as const;
const forceFlag = { name: "force", description: "Redo every step even if its inputs are unchanged" } as const;
const quietFlag = { name: "quiet", description: "Print only the summary" } as const;
const noCompileFlag = { name: "noCompile", description: "Do not run `hardhat build` afterwards" } as const;
const redisOption = optional("redis", "Redis URL of the job queue (default: $ZK_REDIS_URL; unset: embedded)");
const concurrencyOption = {
  name: "concurrency",
  description: "Proofs at once in this process (0: one per core)",
  type: ArgumentType.INT,
  defaultValue: 0,
} as const;
const dataDirOption = optional("dataDir", "Folder of the service's SQLite files (default: .zk-service)");
const inputOption = optionalFile("input", 'ezkl input JSON, {"input_data": [[...], ...]} (default: input.json beside the model\'s ONNX)');
const skipGateFlag = {
  name: "skipGate",
  description: "With --audio: prove a recording the recording gate refuses (silence, noise, tones); see README",
};
const audioOption = optionalFile("audio", "A recording (WAV, MP3, Ogg/Opus; WebM and others through ffmpeg) to judge instead of --input");
const backendOption = optional("backend", "Prover backend: wasm, wasm-threads or native (default: the model's prover config, else wasm)");
const serviceBackendOption = optional(
  "backend",
  "Prover backend of this process: wasm, wasm-threads or native (default: $ZK_BACKEND, else wasm)",
);

/** Hardhat plugin: the ezkl zkML pipeline as `hardhat zk ...` tasks. */
const hardhatZkml = definePlugin({
  id: PLUGIN_ID,
  npmPackage: "hardhat-zkml",
  dependencies: () => [import("@nomicfoundation/hardhat-ethers"), import("@nomicfoundation/hardhat-ignition-ethers")],
  hookHandlers: {
    config: () => import("./hooks/config.js"),
    network: () => import("./hooks/network.js"),
    clean: () => import("./hooks/clean.js"),
  },
  tasks: [
    emptyTask("zk", "Zero-knowledge ML with ezkl: build circuits, verifiers, proofs").build(),
    task(["zk", "init"], "Start a project: the example judge's files, its zk config entry, tsconfig.json and .gitignore lines")
      .addFlag({ name: "force", description: "Overwrite the example's files and tsconfig.json if they exist (never the config)" })
      .setAction(() => guarded(import("./actions/init.js")))
      .build(),
    task(["zk", "setup"], "settings -> calibrate -> compile -> SRS -> keys (incremental)")
      .addOption(modelOption)
      .addFlag(forceFlag)
      .addFlag(quietFlag)
      .setAction(() => guarded(import("./actions/setup.js")))
      .build(),
    task(["zk", "verifier"], "Generate the Halo2 Solidity verifier (per model, or reusable + VK artifact)")
      .addOption(modelOption)
      .addFlag(forceFlag)
      .addFlag(quietFlag)
      .addFlag(noCompileFlag)
      .setAction(() => guarded(import("./actions/verifier.js")))
      .build(),
    task(["zk", "attester"], "Generate the ezkl data attester for models whose inputs/outputs come from an on-chain call")
      .addOption(modelOption)
      .addFlag(forceFlag)
      .addFlag(quietFlag)
      .addFlag(noCompileFlag)
      .setAction(() => guarded(import("./actions/attester.js")))
      .build(),
    task(["zk", "prove"], "Prove a model's judgment in WASM; writes the proof JSON and verifier calldata (requires --model)")
      .addOption(requiredModel)
      .addOption(inputOption)
      .addOption(audioOption)
      .addOption(optional("prover", "Address bound into the proof (required for models with boundAddress)"))
      .addOption(optionalFile("out", "Output folder (default: artifacts-zk/<model>/proofs)"))
      .addOption(
        optionalFile("fixture", "Also write the proof as a Solidity test fixture (JSON for vm.readFile + vm.parseJson) to this file"),
      )
      .addOption(backendOption)
      .addFlag(skipGateFlag)
      .setAction(() => guarded(import("./actions/prove.js")))
      .build(),
    task(
      ["zk", "features"],
      "Mel-spectrogram features of a recording as the judge's input JSON (librosa parity; requires --model and --audio)",
    )
      .addOption(requiredModel)
      .addOption(optionalFile("audio", "The recording (WAV, MP3, Ogg/Opus; WebM and others through ffmpeg) (required)"))
      .addOption(optionalFile("out", "Input JSON to write (default: <recording>.input.json)"))
      .setAction(() => guarded(import("./actions/features.js")))
      .build(),
    task(["zk", "verify"], "Verify a proof off-chain (WASM) and, with --verifier, on-chain (requires --model and --proof)")
      .addOption(requiredModel)
      .addOption(optionalFile("proof", "Proof JSON file (required)"))
      .addOption(optional("verifier", "Deployed verifier address on --network"))
      .addOption(optional("vk", "VK artifact address (reusable verifier; needs --verifier)"))
      .setAction(() => guarded(import("./actions/verify.js")))
      .build(),
    task(["zk", "calldata"], "Calldata for verifyProof, or for the data attester with --attester (requires --proof)")
      .addOption(optionalFile("proof", "Proof JSON file (required)"))
      .addOption(optional("vk", "VK artifact address (reusable verifier)"))
      .addFlag({ name: "attester", description: "Encode verifyWithDataAttestation(verifier, calldata); needs --verifier" })
      .addOption(optional("verifier", "Verifier address the attester calls (required with --attester)"))
      .setAction(() => guarded(import("./actions/calldata.js")))
      .build(),
    task(
      ["zk", "deploy"],
      "Deploy a judge model's verifier and a funded JudgmentReward, or with --verifier-only any model's verifier (Ignition; requires --model)",
    )
      .addOption(requiredModel)
      .addOption({
        name: "threshold",
        description: "Minimum score that earns the reward (within --score-range)",
        type: ArgumentType.FLOAT,
        defaultValue: 0.5,
      })
      .addOption({ name: "reward", description: "ETH paid per claim", type: ArgumentType.FLOAT, defaultValue: 0.01 })
      .addOption({ name: "fund", description: "ETH sent to the reward contract", type: ArgumentType.FLOAT, defaultValue: 0.1 })
      .addOption(optional("attester", "Address (EOA or ERC-1271 contract) that signs each claim; omit for open mode"))
      .addOption(optional("roundCap", "Most ETH one round pays (default: --fund)"))
      .addOption({
        name: "minRoundSeconds",
        description: "Shortest round: the deal holds at least this long",
        type: ArgumentType.INT,
        defaultValue: 3600,
      })
      .addOption({
        name: "scoreRange",
        description: "Score bounds min,max (0,1 for a probability; e.g. -8,8 for a logit)",
        defaultValue: "0,1",
      })
      .addFlag({ name: "noDomainBinding", description: "Prove the bare address instead of the key bound to chain, contract and round" })
      .addFlag({ name: "allowInsecureSrs", description: "Deploy a dev-SRS verifier to a non-local network anyway" })
      .addFlag({ name: "reset", description: "Delete this deployment's Ignition journal and deploy afresh" })
      .addFlag({ name: "verifierOnly", description: "Deploy only the verifier (and VK artifact): any model, no reward" })
      .setAction(() => guarded(import("./actions/deploy.js")))
      .build(),
    task(["zk", "claim"], "Prove a judgment in WASM for an account and claim the reward (requires --model and --reward)")
      .addOption(requiredModel)
      .addOption(optional("reward", "JudgmentReward address (required; printed by zk deploy)"))
      .addOption({ name: "account", description: "Index of the claiming account", type: ArgumentType.INT, defaultValue: 0 })
      .addOption(optional("attesterAccount", "Attested reward: index of the local account that signs as the attester"))
      .addOption(optionalFile("attestation", "Attested reward: JSON file with a signed attestation (signAttestation)"))
      .addOption(inputOption)
      .addOption(audioOption)
      .addOption(backendOption)
      .addFlag(skipGateFlag)
      .setAction(() => guarded(import("./actions/claim.js")))
      .build(),
    task(["zk", "audit"], "Rebuild a model's verifier from its manifest and compare it with the code deployed at --address")
      .addOption(requiredModel)
      .addOption(optional("address", "Deployed verifier address on --network (required)"))
      .addOption(optional("vk", "Deployed VK artifact address (reusable verifier)"))
      .addOption(optional("reward", "A JudgmentReward to check too: its verifier, instance layout and commitment location"))
      .setAction(() => guarded(import("./actions/audit.js")))
      .build(),
    task(["zk", "info"], "Circuit size, public-instance layout, artifact sizes, verifier size and deploy gas")
      .addOption(modelOption)
      .setAction(() => guarded(import("./actions/info.js")))
      .build(),
    task(["zk", "doctor"], "Check Node, the Python interpreter and its ezkl, the solc shim and the engine; prints the fix for each")
      .setAction(() => guarded(import("./actions/doctor.js")))
      .build(),
    task(["zk", "install-python"], "Create a Python venv with the pinned ezkl toolchain (requirements.txt shipped in the package)")
      .addOption({ name: "python", description: "Interpreter that creates the venv", defaultValue: "python3" })
      .addOption(optionalFile("venv", "Folder of the venv (default: the one zk.python points into, or .venv)"))
      .setAction(() => guarded(import("./actions/install-python.js")))
      .build(),
    task(["zk", "serve"], "Serve proofs over HTTP (embedded queue, or BullMQ with --redis)")
      .addOption({ name: "host", description: "Interface to listen on", defaultValue: "127.0.0.1" })
      .addOption({ name: "port", description: "Port (0: any free port)", type: ArgumentType.INT, defaultValue: 8080 })
      .addOption(redisOption)
      .addOption(concurrencyOption)
      .addOption(optional("defaultModel", "Model for /prove and /service_output (default: the first judge model)"))
      .addOption(serviceBackendOption)
      .addOption(optional("reward", "JudgmentReward address the default judge model's proofs are made (and attested) for"))
      .addOption(dataDirOption)
      .setAction(() => guarded(serverAction(() => import("./actions/serve.js"))))
      .build(),
    task(["zk", "worker"], "Prove jobs from the Redis queue (run any number, on any machine with the artifacts)")
      .addOption(redisOption)
      .addOption(concurrencyOption)
      .addOption(serviceBackendOption)
      .setAction(() => guarded(serverAction(() => import("./actions/worker.js"))))
      .build(),
    emptyTask(["zk", "keys"], "API keys of the proving service").build(),
    task(["zk", "keys", "create"], "Create an API key (the token is printed once)")
      .addOption(optional("name", "Who or what the key is for (required)"))
      .addOption({ name: "scopes", description: "Comma-separated: prove, admin", defaultValue: "prove" })
      .addOption({ name: "rateLimit", description: "Requests per minute", type: ArgumentType.INT, defaultValue: 60 })
      .addOption(dataDirOption)
      .setAction(() => guarded(serverAction(() => import("./actions/keys-create.js"))))
      .build(),
    task(["zk", "keys", "list"], "List API keys (ids, scopes, limits; never the secrets)")
      .addOption(dataDirOption)
      .setAction(() => guarded(serverAction(() => import("./actions/keys.js"))))
      .build(),
    task(["zk", "keys", "revoke"], "Revoke an API key")
      .addOption(optional("id", "Key id (from `zk keys list`; required)"))
      .addOption(dataDirOption)
      .setAction(() => guarded(serverAction(() => import("./actions/keys-revoke.js"))))
      .build(),
    task(["zk", "clean"], "Delete zk build outputs and generated contracts")
      .addOption(modelOption)
      .setAction(() => guarded(import("./actions/clean.js")))
      .build(),
  ],
});

export default hardhatZkml;
