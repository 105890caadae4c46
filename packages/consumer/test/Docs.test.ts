/**
 * The documentation stands alone: every link in the READMEs and docs points at a file in the
 * repository (a fact from elsewhere is cited by project, path and commit, not linked), and none
 * names the reference notes that live outside it.
 */
import { assert, describe, it } from "vitest"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../", import.meta.url))

const documents = (): ReadonlyArray<string> => {
  const out = ["README.md", "SECURITY.md", "BENCHMARKS.md"].map((f) => join(root, f))
  for (const pkg of readdirSync(join(root, "packages"))) {
    const dir = join(root, "packages", pkg)
    if (existsSync(join(dir, "README.md"))) out.push(join(dir, "README.md"))
    if (existsSync(join(dir, "docs"))) {
      for (const f of readdirSync(join(dir, "docs"))) if (f.endsWith(".md")) out.push(join(dir, "docs", f))
    }
  }
  return out.filter((f) => existsSync(f))
}

describe("the docs", () => {
  it("link only to files inside the repository, and never to the reference notes outside it", () => {
    const problems: Array<string> = []
    for (const document of documents()) {
      const text = readFileSync(document, "utf8")
      const name = relative(root, document)
      if (/shared\/reference|[a-z-]+-behaviour\.md/.test(text)) problems.push(`${name}: names a reference note outside the repository`)
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (target!.startsWith("#")) continue
        if (/^[a-z]+:/i.test(target!)) {
          problems.push(`${name}: ${target} links outside the repository`)
          continue
        }
        const file = resolve(dirname(document), target!.split("#")[0]!)
        if (relative(root, file).startsWith("..")) problems.push(`${name}: ${target} leaves the repository`)
        else if (!existsSync(file)) problems.push(`${name}: ${target} does not exist`)
      }
    }
    assert.deepStrictEqual(problems, [])
  })
})
