/** `hardhat-zkml/testing`: chai assertions for proofs and verifiers (`chai.use(chaiZk)`). */
export { chaiZk } from "./chai-zk.js";
