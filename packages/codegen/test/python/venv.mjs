// Prints the path of a python with the pinned test dependencies (requirements.txt next to this
// file), making its virtual environment under the repository's .cache/ on first use: the python
// target's tests and @mbauth/testing's Python client test share it. The folder is named after the
// requirements' hash and made under a temporary name, then renamed, so parallel test files never
// use a half-installed environment and changed requirements get a new one.
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const root = new URL("../../../../", import.meta.url).pathname
const requirements = new URL("requirements.txt", import.meta.url).pathname
const hash = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 12)
const venv = join(root, ".cache", "python", `venv-${hash}`)
const python = join(venv, "bin", "python")

if (!existsSync(join(venv, ".ready"))) {
  mkdirSync(join(root, ".cache", "python"), { recursive: true })
  const temp = `${venv}.${process.pid}.tmp`
  rmSync(temp, { recursive: true, force: true })
  const quiet = { stdio: ["ignore", "ignore", "inherit"], timeout: 10 * 60 * 1000 }
  execFileSync("python3", ["-m", "venv", temp], quiet)
  execFileSync(join(temp, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements], quiet)
  writeFileSync(join(temp, ".ready"), "")
  try {
    renameSync(temp, venv)
  } catch (e) {
    // Another test file finished first: use its environment.
    rmSync(temp, { recursive: true, force: true })
    if (!existsSync(join(venv, ".ready"))) throw e
  }
}
process.stdout.write(python)
