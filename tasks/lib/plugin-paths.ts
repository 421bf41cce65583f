import path from "node:path";
import { fileURLToPath } from "node:url";
import { findPackageRoot } from "@hardhat-zkml/core/project-paths.js";

/** The plugin's npm name (also its Hardhat plugin id). */
export const PACKAGE_NAME = "hardhat-zkml";

/** The plugin package's root (holds contracts/ and package.json), from source or from dist/. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)), PACKAGE_NAME);
