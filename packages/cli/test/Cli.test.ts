import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import * as Cli from "../src/Cli.js"
import { run } from "./utils/cli.js"

const ansi = /\u001B\[/

describe("mbauth (root)", () => {
  it.effect("--help prints the command tree to stdout and exits 0", () =>
    Effect.gen(function*() {
      const r = yield* run(["--help"])
      assert.strictEqual(r.exitCode, 0)
      assert.include(r.stdout, "USAGE\n  mbauth <command> [options]\n")
      for (const command of ["header", "request", "connect", "server", "get", "sandbox", "codegen"]) {
        assert.match(r.stdout, new RegExp(`\\n  ${command} +[A-Z]`))
      }
      assert.include(r.stdout, "--config-dir DIR")
      assert.include(r.stdout, "Exit codes: 0 success")
      assert.strictEqual(r.stderr, "")
    }))

  it.effect("--version prints the version from package.json", () =>
    Effect.gen(function*() {
      const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
      assert.strictEqual(Cli.version, pkg.version)
      const r = yield* run(["--version"])
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stdout.trim(), pkg.version)
    }))

  it.effect("help below the first level names the whole command path", () =>
    Effect.gen(function*() {
      const lint = yield* run(["header", "lint", "--help"])
      assert.strictEqual(lint.exitCode, 0)
      assert.include(lint.stdout, "USAGE\n  mbauth header lint [VALUE] [options]\n")
      assert.include(lint.stdout, "How each server profile reads a header")
      const group = yield* run(["header", "-h"])
      assert.include(group.stdout, "USAGE\n  mbauth header <command> [options]\n")
      assert.match(group.stdout, /\n {2}format +Build an authorization header/)
      const withOptions = yield* run(["--json", "request", "explain", "-H", "X: y", "--help"])
      assert.include(withOptions.stdout, "USAGE\n  mbauth request explain [options]\n")
      assert.include(withOptions.stdout, "-H, --header 'NAME: VALUE'")
    }))

  it.effect("an unknown command is a usage error: exit 2, nothing on stdout", () =>
    Effect.gen(function*() {
      const r = yield* run(["hedaer", "parse", "x"])
      assert.strictEqual(r.exitCode, 2)
      assert.strictEqual(r.stdout, "")
      assert.notStrictEqual(r.stderr, "")
    }))

  it.effect("an invalid option value is a usage error naming the choices", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", "--mode", "lenient", "MediaBrowser Client=\"x\""])
      assert.strictEqual(r.exitCode, 2)
      assert.strictEqual(r.stdout, "")
      assert.include(r.stderr, "strict, compat")
    }))

  it.effect("a group without a command shows its help", () =>
    Effect.gen(function*() {
      const r = yield* run(["request"])
      assert.strictEqual(r.exitCode, 0)
      assert.include(r.stdout, "mbauth request <command>")
      assert.match(r.stdout, /\n {2}explain +Which token/)
    }))

  it.effect("--completions prints a completion script naming mbauth and its commands", () =>
    Effect.gen(function*() {
      const r = yield* run(["--completions", "bash"])
      assert.strictEqual(r.exitCode, 0)
      assert.include(r.stdout, "complete -F _mbauth mbauth")
      // The script asks mbauth for the candidates, so it knows every command at every depth.
      assert.include(r.stdout, "mbauth __complete bash")
      const zsh = yield* run(["--completions", "zsh"])
      assert.include(zsh.stdout, "#compdef mbauth")
    }))

  it.effect("global options work after the command name too", () =>
    Effect.gen(function*() {
      const value = "MediaBrowser Client=\"x\""
      const before = yield* run(["--json", "header", "parse", value])
      const after = yield* run(["header", "parse", value, "--json"])
      assert.strictEqual(after.exitCode, 0)
      assert.strictEqual(after.stdout, before.stdout)
      assert.deepStrictEqual(JSON.parse(after.stdout).results.compat.params, { Client: "x" })
    }))

  it.effect("help is written without colour codes when output is not a terminal", () =>
    Effect.gen(function*() {
      // The real binary strips them from help (see e2e); in-process the help carries them, and the
      // commands' own output never does when stdout is not a terminal.
      const r = yield* run(["header", "parse", "MediaBrowser Client=\"x\""])
      assert.notMatch(r.rawStdout, ansi)
    }))
})
