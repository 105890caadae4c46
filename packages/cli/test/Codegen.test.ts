import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Usage from "@effect/cli/Usage"
import * as CodegenCli from "@mbauth/codegen/Cli"
import * as Target from "@mbauth/codegen/Target"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Codegen from "../src/commands/Codegen.js"
import { run } from "./utils/cli.js"

const spec = fileURLToPath(new URL("../../core/spec/mediabrowser.json", import.meta.url))
const generated = fileURLToPath(new URL("../../core/src/generated", import.meta.url))

const describeCommand = (command: Command.Command<any, any, any, any>) => ({
  usage: Usage.enumerate(Command.getUsage(command), CliConfig.defaultConfig).map((span) => HelpDoc.toAnsiText(HelpDoc.p(span))),
  help: HelpDoc.toAnsiText(Command.getHelp(command, CliConfig.defaultConfig))
})

describe("mbauth codegen", () => {
  it("declares exactly the options of mbauth-codegen", () => {
    const pairs = [
      [Codegen.command, CodegenCli.command],
      [Codegen.generate, CodegenCli.generateCommand],
      [Codegen.checkCommand, CodegenCli.checkCommand],
      [Codegen.jsonSchema, CodegenCli.jsonSchemaCommand]
    ] as const
    for (const [mine, theirs] of pairs) assert.deepStrictEqual(describeCommand(mine), describeCommand(theirs))
    assert.include(describeCommand(Codegen.generate).usage[0], Target.all.join(" | "))
  })

  it.effect("check: the checked-in generated files match the spec", () =>
    Effect.gen(function*() {
      const r = yield* run(["codegen", "check", "--spec", spec, "--out", generated])
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stdout, "4 generated files are up to date\n")
    }))

  it.effect("check: stale files are listed on stderr and the command exits 1 (JSON with --json)", () =>
    Effect.gen(function*() {
      const empty = mkdtempSync(join(tmpdir(), "mbauth-codegen-"))
      const r = yield* run(["codegen", "check", "--spec", spec, "--out", empty])
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stdout, "")
      assert.include(r.stderr, `missing  ${join(empty, "MediaBrowserAuthorization.ts")}`)
      assert.include(r.stderr, "error: 4 generated files are out of date")
      const json = yield* run(["codegen", "check", "--spec", spec, "--out", empty, "--json"])
      assert.strictEqual(JSON.parse(json.stdout).error.code, "StaleFilesError")
    }))

  it.effect("generate writes the selected targets, then reports them up to date", () =>
    Effect.gen(function*() {
      const out = mkdtempSync(join(tmpdir(), "mbauth-codegen-"))
      const first = yield* run(["codegen", "generate", "--spec", spec, "--out", out, "--target", "markdown"])
      assert.strictEqual(first.exitCode, 0)
      assert.strictEqual(first.stdout, `wrote ${join(out, "MediaBrowserAuthorization.md")}\n`)
      assert.strictEqual(
        readFileSync(join(out, "MediaBrowserAuthorization.md"), "utf8"),
        readFileSync(join(generated, "MediaBrowserAuthorization.md"), "utf8")
      )
      const second = yield* run(["codegen", "generate", "--spec", spec, "--out", out, "--target", "markdown"])
      assert.strictEqual(second.stdout, "1 generated files are up to date\n")
    }))

  it.effect("an invalid spec: exit 1 with the JSON paths", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "mbauth-codegen-"))
      const bad = join(dir, "bad.json")
      writeFileSync(bad, "{}")
      const r = yield* run(["codegen", "check", "--spec", bad, "--out", dir])
      assert.strictEqual(r.exitCode, 1)
      assert.include(r.stderr, "at $.schemes: is missing")
    }))

  it.effect("a missing spec file is a usage error", () =>
    Effect.gen(function*() {
      const r = yield* run(["codegen", "check", "--spec", "/nonexistent/spec.json", "--out", "/tmp"])
      assert.strictEqual(r.exitCode, 2)
    }))
})
