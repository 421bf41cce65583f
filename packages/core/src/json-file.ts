import { readFile } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "./errors.js";

/** A file's bytes; a missing or unreadable file is a one-line error that names it. */
export async function readUserFile(file: string, what: string, fix: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const shown = path.relative(process.cwd(), file) || file;
    if (code === "ENOENT") throw new ZkError(`${what} ${shown} not found; ${fix}`);
    throw new ZkError(`${what} ${shown} cannot be read (${code ?? (e as Error).message}); ${fix}`);
  }
}

/** Parses JSON text from a user's file; invalid JSON names the file, the parser's reason and the expected shape. */
export function parseUserJson<T>(text: string | Uint8Array, file: string, what: string, expected: string): T {
  const source = typeof text === "string" ? text : new TextDecoder().decode(text);
  try {
    return JSON.parse(source) as T;
  } catch (e) {
    const shown = path.relative(process.cwd(), file) || file;
    throw new ZkError(`${what} ${shown} is not valid JSON (${(e as Error).message.split("\n")[0]}); expected ${expected}`);
  }
}
