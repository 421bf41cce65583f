import { expect } from "chai";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EZKL_VERSION } from "@hardhat-zkml/core/ezkl/installed-version.js";
import { REQUIREMENTS_STAMP, installPython } from "@hardhat-zkml/core/ezkl/install-python.js";
import { expectDeliberate } from "../helpers/errors.js";

/**
 * A stand-in interpreter that records how it is called: `-m venv DIR` copies itself to
 * DIR/bin/python, `-m pip` is logged, `-c` prints the ezkl version. What is under test is
 * installPython's logic (create once, pip only when the requirements change), not pip.
 */
const FAKE_PYTHON = (version: string) => `#!/bin/sh
echo "$0 $*" >> "$FAKE_PY_LOG"
case "$1" in
  --version) echo "Python 3.12.0" ;;
  -m) if [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi ;;
  -c) echo "${version}" ;;
esac
`;

describe("installPython (the one venv creation: zk install-python and npm run setup)", function () {
  let dir: string;
  let log: string;
  const calls = async () => (await readFile(log, "utf8").catch(() => "")).trim().split("\n").filter(Boolean);

  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "zk-install-python-"));
    log = path.join(dir, "calls.log");
    process.env.FAKE_PY_LOG = log;
  });
  afterEach(async function () {
    delete process.env.FAKE_PY_LOG;
    await rm(dir, { recursive: true, force: true });
  });

  async function fakePython(version = EZKL_VERSION): Promise<string> {
    const file = path.join(dir, "python3");
    await writeFile(file, FAKE_PYTHON(version));
    await chmod(file, 0o755);
    return file;
  }

  it("creates the venv, installs the requirements with the extra files, and skips pip while they are unchanged", async function () {
    const basePython = await fakePython();
    const venv = path.join(dir, "venv");
    const extra = path.join(dir, "requirements-dev.txt");
    await writeFile(extra, "librosa==0.11.0\n");
    const opts = { venv, basePython, extraRequirements: [extra], log: () => {} };

    expect(await installPython(opts)).to.equal(path.join(venv, "bin", "python"));
    const first = await calls();
    expect(first.filter((c) => c.includes("-m venv"))).to.have.length(1);
    const pip = first.filter((c) => c.includes("-m pip install"));
    expect(pip).to.have.length(1);
    expect(pip[0])
      .to.include(`-r ${extra}`)
      .and.to.match(/-r \S+packages\/core\/requirements\.txt/);
    expect((await readFile(path.join(venv, REQUIREMENTS_STAMP), "utf8")).trim()).to.match(/^[0-9a-f]{64}$/);

    await installPython(opts);
    const second = (await calls()).slice(first.length);
    expect(second.some((c) => c.includes("-m venv") || c.includes("-m pip"))).to.equal(false, second.join("\n"));

    await writeFile(extra, "librosa==0.11.0\nsoundfile==0.13.1\n");
    await installPython(opts);
    const third = (await calls()).slice(first.length + second.length);
    expect(third.filter((c) => c.includes("-m pip install"))).to.have.length(1);
  });

  it("refuses a venv whose ezkl is not the pinned release, with the fix", async function () {
    const basePython = await fakePython("20.0.0");
    try {
      await installPython({ venv: path.join(dir, "venv"), basePython, log: () => {} });
      expect.fail("accepted ezkl 20.0.0");
    } catch (e) {
      expectDeliberate(e);
      expect((e as Error).message).to.match(
        new RegExp(`has ezkl 20.0.0 after install, expected ${EZKL_VERSION.replace(/\./g, "\\.")}; delete`),
      );
    }
  });

  it("says how to get Python when the base interpreter is missing", async function () {
    try {
      await installPython({ venv: path.join(dir, "venv"), basePython: path.join(dir, "no-such-python"), log: () => {} });
      expect.fail("accepted a missing interpreter");
    } catch (e) {
      expectDeliberate(e);
      expect((e as Error).message).to.match(/not found; install Python 3\.9-3\.13/);
    }
  });
});
