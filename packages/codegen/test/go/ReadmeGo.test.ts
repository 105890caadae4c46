// The README's "## Go" section: the generated package for examples/tiny.json as it is, and the
// usage program, which compiles, passes go vet and prints what the README says it prints.
import { afterAll, expect, it } from "@effect/vitest"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { generate, runOk, specs } from "./goTool.js"

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
const section = readme.slice(readme.indexOf("\n## Go\n"))
const blocks = (language: string) => [...section.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!)
const [shownModule, usage] = blocks("go")
const [shownOutput] = blocks("text")

const dir = mkdtempSync(join(tmpdir(), "mbauth-go-readme-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it("shows the package generated for the tiny spec as it is", async () => {
  const [module] = await generate(specs.tiny)
  expect(module!.path).toBe("tinyauth.go")
  expect(shownModule).toBe(module!.content)
})

it("shows a usage program that compiles, passes go vet and prints what the README says", async () => {
  mkdirSync(join(dir, "tinyauth"))
  for (const file of await generate(specs.tiny)) writeFileSync(join(dir, "tinyauth", file.path), file.content)
  writeFileSync(join(dir, "go.mod"), "module example.com/app\n\ngo 1.21\n")
  writeFileSync(join(dir, "main.go"), usage!)
  expect(await runOk("gofmt", ["-l", "."], dir)).toBe("")
  await runOk("go", ["vet", "./..."], dir, 600_000)
  expect(await runOk("go", ["run", "."], dir, 600_000)).toBe(shownOutput)
}, 600_000)
