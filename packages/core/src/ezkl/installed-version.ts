import { ZkError } from "../errors.js";
import { EZKL_VERSION } from "../versions.js";
import { PYTHON_FIX, runEzkl } from "./python.js";

/** The ezkl release the WASM engine's artifacts pair with (see README "Toolchain versions"). */
export { EZKL_VERSION };

const checked = new Map<string, Promise<void>>();

/**
 * Checks once per process that the project's Python has the pinned ezkl, so a build
 * never records one version in its manifest while running another.
 */
export function assertPinnedEzkl(root: string): Promise<void> {
  let done = checked.get(root);
  if (done === undefined) {
    done = runEzkl<{ ezkl: string }>(root, "versions").then(({ ezkl }) => {
      if (ezkl !== EZKL_VERSION) {
        throw new ZkError(`the Python environment has ezkl ${ezkl} but this project needs ${EZKL_VERSION}: ${PYTHON_FIX}`);
      }
    });
    done.catch(() => checked.delete(root));
    checked.set(root, done);
  }
  return done;
}
