import { contractPrefix } from "../artifacts.js";

export function attesterName(model: string): string {
  return `${contractPrefix(model)}DataAttester`;
}
