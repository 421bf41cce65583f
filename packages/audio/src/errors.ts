/**
 * The toolkit's deliberate error: something the user (or an API client) can fix, with a
 * message that says what is wrong and what to do. Defined here, in the lowest layer (no
 * Hardhat, no Node built-ins), and re-exported by @hardhat-zkml/core. The Hardhat plugin
 * turns it into a one-line HardhatPluginError; any other error is a bug and keeps its stack.
 */
export class ZkError extends Error {
  constructor(message: string, cause?: Error) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ZkError";
  }

  static isZkError(e: unknown): e is ZkError {
    return e instanceof ZkError;
  }
}
