import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { KeyStore, parseScopes } from "@hardhat-zkml/server/key-store.js";
import { keysFile, serviceDataDir } from "@hardhat-zkml/server/options.js";

interface Args {
  name?: string;
  scopes?: string;
  rateLimit?: number;
  id?: string;
  dataDir?: string;
}

function openKeys(args: Args, hre: HardhatRuntimeEnvironment): KeyStore {
  return new KeyStore(keysFile(serviceDataDir(hre.config.paths.root, args.dataDir)));
}

export async function keysCreate(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (!args.name) throw new ZkError("--name is required (who or what the key is for)");
  const keys = openKeys(args, hre);
  try {
    const { key, token } = keys.create(args.name, parseScopes(args.scopes ?? "prove"), args.rateLimit ?? 60);
    console.log(`key ${key.id} "${key.name}" scopes ${key.scopes.join(",")}, ${key.ratePerMinute} requests/min`);
    console.log(`token (shown once; send as Authorization: Bearer <token>):\n${token}`);
  } finally {
    keys.close();
  }
}

export async function keysList(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const keys = openKeys(args, hre);
  try {
    const all = keys.list();
    if (all.length === 0) console.log("no keys; create one with `npx hardhat zk keys create --name <name>`");
    for (const k of all) {
      console.log(
        `${k.id}  ${k.name}  ${k.scopes.join(",")}  ${k.ratePerMinute}/min  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ""}`,
      );
    }
  } finally {
    keys.close();
  }
}

export async function keysRevoke(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (!args.id) throw new ZkError("--id is required (see `npx hardhat zk keys list`)");
  const keys = openKeys(args, hre);
  try {
    const k = keys.revoke(args.id);
    console.log(`revoked key ${k.id} "${k.name}"`);
  } finally {
    keys.close();
  }
}

export default keysList;
