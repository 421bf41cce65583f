import type { NetworkHooks } from "hardhat/types/hooks";
import { ZkHelper } from "../lib/api/zk-helper.js";

/** Hangs `zk` on every network connection, as hardhat-ethers does with `ethers`. */
export default async (): Promise<Partial<NetworkHooks>> => ({
  async newConnection(context, next) {
    const connection = await next(context);
    connection.zk = new ZkHelper(context.config.zk, context.config.paths.root, connection);
    return connection;
  },
  async closeConnection(context, connection, next) {
    await connection.zk?.close();
    return next(context, connection);
  },
});
