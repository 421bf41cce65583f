import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { PACKAGE_NAME } from "../lib/plugin-id.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own argument type
type Action = (args: any, hre: HardhatRuntimeEnvironment) => Promise<unknown>;

/**
 * Wraps a lazily loaded task action at the plugin's boundary: the errors the toolkit
 * raises on purpose (ZkError: the message says what to do) become HardhatPluginError,
 * which Hardhat prints as one line; anything else is a bug and reaches Hardhat's
 * unexpected-error path with its stack.
 */
export async function guarded(load: Promise<{ default: Action }>): Promise<{ default: Action }> {
  const { default: action } = await load;
  return {
    default: async (args, hre) => {
      try {
        return await action(args, hre);
      } catch (e) {
        throw asPluginError(e);
      }
    },
  };
}

export function asPluginError(e: unknown): unknown {
  if (e instanceof ZkError) return new HardhatPluginError(PACKAGE_NAME, e.message, e);
  return e;
}

/**
 * Loads an action of the proving server's tasks. Without the optional server package the
 * action (not its loading, which Hardhat would report as its own failure) says how to add it.
 */
export async function serverAction(load: () => Promise<{ default: Action }>): Promise<{ default: Action }> {
  try {
    return await load();
  } catch (e) {
    const missing =
      (e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes("@hardhat-zkml/server");
    if (!missing) throw e;
    return {
      default: async () => {
        throw new HardhatPluginError(
          PACKAGE_NAME,
          "the proving server is a separate package: install it next to hardhat-zkml (`npm install @hardhat-zkml/server`, or its tarball from a checkout)",
        );
      },
    };
  }
}
