export { keysCreate as default } from "./keys.js";
