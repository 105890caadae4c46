/**
 * mbauth as its users get it (test/setup.ts packs and installs it): the tarballs hold builds and no
 * test files, the README and docs examples typecheck under a strict app's flags against the
 * installed .d.ts, run with plain node against the installed sandbox, the CLI works installed
 * alone, and the installed generator runs on a spec whose $schema is the installed schema, importing
 * @mbauth/runtime (or, with --standalone, a copy of its source), and writes the other languages'
 * targets with the runtimes it ships.
 */
import { assert, describe, inject, it } from "vitest"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { explain, plain, run } from "./run.js"

const installed = inject("installed")
const { app, cliOnly } = installed
const bin = (dir: string, name: string) => join(dir, "node_modules", ".bin", name)

describe("the tarballs", () => {
  it("hold the build, and no file that only tests need", async () => {
    const table = installed.tarballs.map((t) =>
      `${t.name.padEnd(18)} ${(t.size / 1024).toFixed(1).padStart(7)} kB packed ${(t.unpackedSize / 1024).toFixed(1).padStart(8)} kB unpacked ${String(t.files.length).padStart(4)} files`
    )
    console.log([...table, ...Object.entries(installed.timings).map(([k, v]) => `${k}: ${v} ms`)].join("\n"))
    const byName = new Map(installed.tarballs.map((t) => [t.name, t.files]))
    for (const name of ["@mbauth/runtime", "@mbauth/core", "@mbauth/codegen", "@mbauth/testing"]) {
      const files = byName.get(name)
      assert.isDefined(files, name)
      for (const file of ["dist/index.js", "dist/index.d.ts", "dist/index.js.map", "dist/index.d.ts.map"]) {
        assert.include(files, file, `${name} lacks ${file}`)
      }
    }
    assert.includeMembers([...byName.get("@mbauth/codegen")!], ["dist/bin.js", "spec.schema.json", "examples/acme.json"])
    assert.includeMembers([...byName.get("@mbauth/cli")!], ["bin/mbauth.mjs", "dist/bin.mjs", "dist/mbauth.cjs", "dist/commands.json", "dist/runtime.ts"])
    for (const { name, files } of installed.tarballs) {
      const testOnly = files.filter((f) => /(^|\/)(test|__goldens__|fixtures)\/|\.test\.|\.vectors\.json$|\.cache$|tsbuildinfo/.test(f))
      assert.deepStrictEqual(testOnly, [], `${name} ships test-only files`)
    }
    const core = byName.get("@mbauth/core")!
    assert.isFalse(core.some((f) => /fake|sandbox|testing/i.test(f)), "core ships fake servers")
  })

  it("give core and generated code the runtime alone: no generator, no dependency of its own", () => {
    const manifest = (name: string) => JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8"))
    assert.deepStrictEqual(manifest("@mbauth/core").dependencies, { "@mbauth/runtime": "0.1.0" })
    assert.isUndefined(manifest("@mbauth/runtime").dependencies)
    assert.isUndefined(manifest("@mbauth/runtime").peerDependencies)
    assert.include(manifest("@mbauth/codegen").dependencies, { "@mbauth/runtime": "0.1.0" })
  })
})

describe("the installed generator", () => {
  it("generates from a spec whose $schema is the installed spec.schema.json", async () => {
    const schema = join(app, "node_modules", "@mbauth", "codegen", "spec.schema.json")
    assert.isTrue(existsSync(schema))
    const example = JSON.parse(readFileSync(join(app, "node_modules", "@mbauth", "codegen", "examples", "acme.json"), "utf8"))
    // The example's own $schema resolves inside the installed package.
    assert.isTrue(existsSync(join(app, "node_modules", "@mbauth", "codegen", "examples", example.$schema)))
    writeFileSync(join(app, "acme.json"), JSON.stringify({ ...example, $schema: "./node_modules/@mbauth/codegen/spec.schema.json" }, null, 2))
    const ran = await run(bin(app, "mbauth-codegen"), ["generate", "--spec", "acme.json", "--out", "generated"], { cwd: app })
    assert.strictEqual(ran.status, 0, explain(ran))
    assert.includeMembers(readdirSync(join(app, "generated")), ["AcmeAuth.ts", "AcmeAuthSchema.ts", "AcmeAuth.md"])
    assert.include(readFileSync(join(app, "generated", "AcmeAuth.ts"), "utf8"), "import * as Runtime from \"@mbauth/runtime\"\n")
  })

  it("copies the installed @mbauth/runtime's source beside the modules with --standalone", async () => {
    const ran = await run(bin(app, "mbauth-codegen"), ["generate", "--spec", "acme.json", "--out", "standalone", "--standalone", "--target", "typescript"], {
      cwd: app
    })
    assert.strictEqual(ran.status, 0, explain(ran))
    assert.sameMembers(readdirSync(join(app, "standalone")), ["AcmeAuth.ts", "runtime.ts"])
    const source = readFileSync(join(app, "node_modules", "@mbauth", "runtime", "src", "index.ts"), "utf8")
    assert.strictEqual(readFileSync(join(app, "standalone", "runtime.ts"), "utf8"), `// Copied by @mbauth/codegen from @mbauth/runtime. DO NOT EDIT.\n${source}`)
    assert.include(readFileSync(join(app, "standalone", "AcmeAuth.ts"), "utf8"), "import * as Runtime from \"./runtime.js\"\n")
  })

  it("writes the Python, Go and Kotlin targets with their runtimes from the installed package", async () => {
    const ran = await run(
      bin(app, "mbauth-codegen"),
      ["generate", "--spec", "acme.json", "--out", "languages", "--target", "python", "--target", "go", "--target", "kotlin"],
      { cwd: app }
    )
    assert.strictEqual(ran.status, 0, explain(ran))
    assertLanguages(join(app, "languages"), join(app, "node_modules", "@mbauth", "codegen", "runtimes"))
  })
})

// The three language targets for the acme spec: each module, and each runtime copied from
// `runtimes` (the copies differ from their source only at the top: a header, the package line).
const assertLanguages = (out: string, runtimes: string) => {
  const tail = (file: string) => readFileSync(file, "utf8").slice(-2000)
  assert.sameMembers(readdirSync(join(out, "acme_auth")), ["__init__.py", "_runtime.py", "py.typed"])
  assert.include(readFileSync(join(out, "acme_auth", "_runtime.py"), "utf8"), tail(join(runtimes, "python", "runtime.py")))
  assert.include(readFileSync(join(out, "acme_auth", "__init__.py"), "utf8"), "Code generated by @mbauth/codegen from acme.json")
  assert.include(readFileSync(join(out, "runtime.go"), "utf8"), tail(join(runtimes, "go", "runtime.go")))
  assert.include(readFileSync(join(out, "Runtime.kt"), "utf8"), tail(join(runtimes, "kotlin", "Runtime.kt")))
  for (const file of ["acmeauth.go", "runtime.go", "AcmeAuth.kt", "Runtime.kt"]) {
    assert.include(readFileSync(join(out, file), "utf8"), "package acmeauth", file)
  }
}

describe("the app", () => {
  it("typechecks the README and docs examples (and the generated code) with strict flags and skipLibCheck off", async () => {
    const examples = readdirSync(join(app, "examples"), { recursive: true }).filter((f) => String(f).endsWith(".ts"))
    assert.isAtLeast(examples.length, 10)
    const ran = await run(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: app })
    assert.strictEqual(ran.status, 0, explain(ran))
    console.log(`tsc over ${examples.length} example modules, the generated code and the app: ${ran.ms} ms`)
  })

  it("runs the README examples with plain node against the installed sandbox", async () => {
    const ran = await run(process.execPath, ["out/main.js"], { cwd: app })
    assert.strictEqual(ran.status, 0, explain(ran))
    const result = JSON.parse(ran.stdout)
    assert.strictEqual(
      result.header,
      "MediaBrowser Token=\"0123456789abcdef0123456789abcdef\", Client=\"My%20App\", Version=\"1.0.0\", DeviceId=\"dev-1\", Device=\"Living%20room%20TV\""
    )
    assert.strictEqual(result.parsed.client, "Jellyfin Web")
    assert.strictEqual(result.me.Name, "alice")
    assert.deepStrictEqual(result.severalServers, ["alice", "bob"])
  })
})

describe("another project's tests", () => {
  it("run the @mbauth/testing README's suites with the installed vitest", async () => {
    const ran = await run(process.execPath, [join(app, "node_modules", "vitest", "vitest.mjs"), "run"], { cwd: app })
    assert.strictEqual(ran.status, 0, explain(ran))
    assert.match(plain(ran.stdout), /Tests\s+3 passed/)
  })
})

describe("the CLI installed alone", () => {
  it("has no dependencies to install", async () => {
    assert.deepStrictEqual(readdirSync(join(cliOnly, "node_modules", "@mbauth")), ["cli"])
    assert.deepStrictEqual(readdirSync(join(cliOnly, "node_modules")).filter((d) => !d.startsWith(".")), ["@mbauth"])
  })

  it("prints its help and runs the sandbox tour", async () => {
    const help = await run(bin(cliOnly, "mbauth"), ["--help"], { cwd: cliOnly })
    assert.strictEqual(help.status, 0, explain(help))
    assert.include(help.stdout, "sandbox")
    const tour = await run(bin(cliOnly, "mbauth"), ["sandbox", "--tour"], { cwd: cliOnly, env: { ...process.env, NO_COLOR: "1" } })
    assert.strictEqual(tour.status, 0, explain(tour))
    assert.include(tour.stdout, "[8/8]")
    console.log(`mbauth --help: ${help.ms} ms, mbauth sandbox --tour: ${tour.ms} ms`)
  })

  it("generates with --standalone from the copy of @mbauth/runtime's source beside its bundle", async () => {
    const workspace = new URL("../../", import.meta.url)
    writeFileSync(join(cliOnly, "acme.json"), readFileSync(new URL("codegen/examples/acme.json", workspace), "utf8"))
    const ran = await run(bin(cliOnly, "mbauth"), ["codegen", "generate", "--spec", "acme.json", "--out", "standalone", "--standalone", "--target", "typescript"], {
      cwd: cliOnly
    })
    assert.strictEqual(ran.status, 0, explain(ran))
    const source = readFileSync(new URL("runtime/src/index.ts", workspace), "utf8")
    assert.strictEqual(readFileSync(join(cliOnly, "standalone", "runtime.ts"), "utf8"), `// Copied by @mbauth/codegen from @mbauth/runtime. DO NOT EDIT.\n${source}`)
  })

  it("writes the Python, Go and Kotlin targets from the runtimes beside its bundle", async () => {
    writeFileSync(join(cliOnly, "acme.json"), readFileSync(new URL("../../codegen/examples/acme.json", import.meta.url), "utf8"))
    const ran = await run(
      bin(cliOnly, "mbauth"),
      ["codegen", "generate", "--spec", "acme.json", "--out", "languages", "--target", "python", "--target", "go", "--target", "kotlin"],
      { cwd: cliOnly }
    )
    assert.strictEqual(ran.status, 0, explain(ran))
    assertLanguages(join(cliOnly, "languages"), fileURLToPath(new URL("../../codegen/runtimes", import.meta.url)))
  })
})

