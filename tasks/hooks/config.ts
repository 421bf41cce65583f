import type { ConfigHooks } from "hardhat/types/hooks";
import { resolveZkConfig } from "../config/resolve.js";
import { validateZkUserConfig } from "../config/validate.js";
import { withPluginContracts } from "../lib/plugin-contracts.js";
import { useProjectPython } from "@hardhat-zkml/core/project-paths.js";

export default async (): Promise<Partial<ConfigHooks>> => ({
  validateUserConfig: async (userConfig) => validateZkUserConfig(userConfig.zk),
  resolveUserConfig: async (userConfig, resolveConfigurationVariable, next) => {
    const resolved = await next(userConfig, resolveConfigurationVariable);
    const zk = resolveZkConfig(userConfig.zk, resolved.paths.root);
    useProjectPython(resolved.paths.root, zk.python);
    return { ...resolved, zk, solidity: withPluginContracts(resolved.solidity, resolved.paths.root) };
  },
});
