/**
 * The toolchain this version of hardhat-zkml is built and tested against: the one place
 * these versions are written in code (package.json pins the npm packages to the same).
 */

/** Python `ezkl` (build time): settings, calibration, compile, SRS, keys, Solidity. */
export const EZKL_VERSION = "21.0.3";
/** `@ezkljs/engine` (prove time): the last JS build of ezkl; its artifacts match ezkl 21.0.x. */
export const ENGINE_VERSION = "21.0.0";
/** The solc ezkl 21 compiles its generated contracts with (and the npm `solc` build behind its shim). */
export const SOLC_VERSION = "0.8.20";
/** Hardhat 3's minimum Node. */
export const MIN_NODE = "22.13.0";
