// The README's "From a program" example, with paths pointing at a temporary directory.
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Generate from "@mbauth/codegen/Generate"
import { expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"

it.scoped("the README example generates, checks and writes", () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const out = yield* fs.makeTempDirectoryScoped()
    const spec = new URL("../examples/acme.json", import.meta.url).pathname

    const program = Effect.gen(function*() {
      const files = yield* Generate.generateFile(spec, { targets: ["typescript", "effect"] })
      const stale = yield* Generate.check(files, out)
      if (stale.length > 0) yield* Generate.write(files, out)
    })

    yield* program
    expect((yield* fs.readDirectory(out)).sort()).toEqual(["AcmeAuth.ts", "AcmeAuthSchema.ts"])
  }).pipe(Effect.provide(NodeContext.layer)))

it.effect("the README shows the tiny spec and its whole generated module as they are", () =>
  Effect.gen(function*() {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    const section = readme.slice(readme.indexOf("## A generated module, in full"))
    const blocks = [...section.matchAll(/```(?:json|ts)\n([\s\S]*?)```/g)].map((m) => m[1])
    const spec = new URL("../examples/tiny.json", import.meta.url).pathname
    expect(blocks[0]).toBe(readFileSync(spec, "utf8"))
    const [module] = yield* Generate.generateFile(spec, { targets: ["typescript"] })
    expect(blocks[1]).toBe(module!.content)
  }).pipe(Effect.provide(NodeContext.layer)))
