// The module ships with the plugin (`hardhat-zkml/ignition`); this workspace re-exports it.
export { judgeRewardModule } from "../../tasks/lib/deploy/judge-reward-module.js";
