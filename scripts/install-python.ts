/**
 * The workspace's Python environment (.venv): the pinned ezkl toolchain (the same
 * `installPython` as `npx hardhat zk install-python`) plus the test-only packages of
 * requirements-dev.txt. Run by scripts/setup-python.sh; PYTHON picks the base interpreter.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { installPython } from "@hardhat-zkml/core/ezkl/install-python.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
try {
  const python = await installPython({
    venv: path.join(root, ".venv"),
    basePython: process.env.PYTHON || "python3",
    extraRequirements: [path.join(root, "requirements-dev.txt")],
    log: (line) => console.log(`setup: ${line}`),
  });
  console.log(`setup: python ready at ${path.relative(root, python)}`);
} catch (e) {
  if (!(e instanceof ZkError)) throw e;
  console.error(`setup: ${e.message}`);
  process.exit(1);
}
