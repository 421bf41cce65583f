import { HardhatPluginError } from "hardhat/plugins";

export const PLUGIN_ID = "hardhat-zkml";

/** An error the user can fix: the message says what is wrong and what to do. */
export class ZkError extends HardhatPluginError {
  constructor(message: string, cause?: Error) {
    super(PLUGIN_ID, message, cause);
  }
}
