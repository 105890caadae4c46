// The README's `## Python` section: the generated module it shows for examples/tiny.json is the
// generator's output, and its usage snippet runs and passes `mypy --strict`.
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { generate, INSTALL_TIMEOUT, python, specs, venvPython } from "./utils/python.js"

const dir = mkdtempSync(join(tmpdir(), "mbauth-python-readme-"))
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
const section = readme.slice(readme.indexOf("\n## Python\n"))
const [shown, usage] = [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!)

beforeAll(async () => {
  await venvPython()
  await generate([specs.tiny], dir)
  writeFileSync(join(dir, "usage.py"), usage!)
}, INSTALL_TIMEOUT)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("README, Python", () => {
  it("shows the generated module for tiny.json as it is", () => {
    expect(section).not.toBe(readme)
    expect(shown).toBe(readFileSync(join(dir, "tiny_auth", "__init__.py"), "utf8"))
  })

  it("has a usage snippet that runs and passes mypy --strict", async () => {
    const ran = await python(["usage.py"], { cwd: dir })
    expect(ran.stderr).toBe("")
    const { stdout } = await python(["-m", "mypy", "--strict", "--python-version", "3.9", "--no-incremental", "usage.py", "tiny_auth"], {
      cwd: dir,
      timeout: 300_000
    })
    expect(stdout).toContain("Success: no issues found in 3 source files")
  }, 300_000)
})
