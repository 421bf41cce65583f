import type { ZkConfig, ZkUserConfig } from "./lib/config-types.js";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    zk?: ZkUserConfig;
  }
  interface HardhatConfig {
    zk: ZkConfig;
  }
}
