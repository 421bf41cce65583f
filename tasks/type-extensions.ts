import type { ZkHelper } from "./lib/api/zk-helper.js";
import type { ZkConfig, ZkUserConfig } from "@hardhat-zkml/core/config-types.js";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    zk?: ZkUserConfig;
  }
  interface HardhatConfig {
    zk: ZkConfig;
  }
}

declare module "hardhat/types/network" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the parameter list must repeat Hardhat's declaration
  interface NetworkConnection<ChainTypeT extends ChainType | string = DefaultChainType> {
    /** The project's zk models on this connection: `zk.model("name").prove(...)`. */
    zk: ZkHelper;
  }
}
