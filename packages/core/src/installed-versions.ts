import { createRequire } from "node:module";
import { EZKL_VERSION } from "./ezkl/installed-version.js";

const require = createRequire(import.meta.url);

/** The version in an installed npm package's package.json, as this plugin resolves it (no leading "v"). */
export function installedPackageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version.replace(/^v/, "");
}

/**
 * The toolchain a manifest records: the engine and solc actually installed beside the
 * plugin, and the ezkl release the Python side is checked against before every build.
 */
export function toolchainVersions(): { ezkl: string; engine: string; solc: string } {
  return { ezkl: EZKL_VERSION, engine: installedPackageVersion("@ezkljs/engine"), solc: installedPackageVersion("solc") };
}
