import { HardhatError } from "@nomicfoundation/hardhat-errors";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZkError } from "../lib/errors.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own argument type
type Action = (args: any, hre: HardhatRuntimeEnvironment) => Promise<unknown>;

/**
 * Wraps a lazily loaded task action so that no bare Error leaves a task: Hardhat and
 * plugin errors pass through, anything else becomes a one-line ZkError carrying it.
 */
export async function guarded(load: Promise<{ default: Action }>): Promise<{ default: Action }> {
  const { default: action } = await load;
  return {
    default: async (args, hre) => {
      try {
        return await action(args, hre);
      } catch (e) {
        throw asZkError(e);
      }
    },
  };
}

export function asZkError(e: unknown): Error {
  if (HardhatError.isHardhatError(e) || HardhatPluginError.isHardhatPluginError(e)) return e;
  const error = e instanceof Error ? e : new Error(String(e));
  const line = (error.message.split("\n")[0] ?? "").trim() || error.name;
  return new ZkError(`${line} (run again with --show-stack-traces for details)`, error);
}
