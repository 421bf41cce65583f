/** The toolkit's deliberate error (see @hardhat-zkml/audio/errors.js), so core and audio throw one class. */
export { ZkError } from "@hardhat-zkml/audio/errors.js";
