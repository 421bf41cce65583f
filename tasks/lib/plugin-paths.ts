import { findClosestPackageRoot } from "@nomicfoundation/hardhat-utils/package";

export { PACKAGE_NAME } from "./plugin-id.js";

/** The plugin package's root (holds contracts/ and package.json), from source or from dist/. */
export const PACKAGE_ROOT = await findClosestPackageRoot(import.meta.url);
