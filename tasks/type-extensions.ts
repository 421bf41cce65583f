import type { ZkHelper } from "./lib/api/zk-helper.js";
import type { ZkConfig, ZkUserConfig } from "./lib/config-types.js";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    zk?: ZkUserConfig;
  }
  interface HardhatConfig {
    zk: ZkConfig;
  }
}

declare module "hardhat/types/network" {
  interface NetworkConnection<ChainTypeT extends ChainType | string = DefaultChainType> {
    /** The project's zk models on this connection: `zk.model("name").prove(...)`. */
    zk: ZkHelper;
  }
}
