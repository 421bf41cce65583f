import type { ConfigHooks } from "hardhat/types/hooks";
import { resolveZkConfig } from "../config/resolve.js";
import { validateZkUserConfig } from "../config/validate.js";

export default async (): Promise<Partial<ConfigHooks>> => ({
  validateUserConfig: async (userConfig) => validateZkUserConfig(userConfig.zk),
  resolveUserConfig: async (userConfig, resolveConfigurationVariable, next) => {
    const resolved = await next(userConfig, resolveConfigurationVariable);
    return { ...resolved, zk: resolveZkConfig(userConfig.zk, resolved.paths.root) };
  },
});
