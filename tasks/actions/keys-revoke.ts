export { keysRevoke as default } from "./keys.js";
