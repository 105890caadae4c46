// Help pages: laid out from the commands' definitions (dist/commands.json, read off the program by
// the build), at the terminal's width or COLUMNS (80 when not a terminal). The executable answers
// help requests from commands.json without loading the program; the program prints the same bytes.
// Snapshots of every page at 80 and 120 columns are in __snapshots__/help/.
import { assert, describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Cli from "../src/Cli.js"
import type * as Spec from "../src/internal/commandSpec.js"
import * as HelpPage from "../src/internal/helpPage.js"
import { bin, buildOnce, mbauth } from "./utils/bin.js"

buildOnce()

const stored = (): Spec.ProgramSpec => JSON.parse(readFileSync(join(bin, "..", "commands.json"), "utf8"))

// Every command path of the program: [], ["header"], ["header", "parse"], …
const paths = (command: Spec.CommandSpec, prefix: ReadonlyArray<string> = []): Array<ReadonlyArray<string>> => [
  prefix,
  ...command.subcommands.flatMap((c) => paths(c, [...prefix, c.name]))
]

// The program alone (no commands.json next to it): it lays out help itself.
const programOnly = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), "mbauth-program-"))
  try {
    for (const file of ["bin.mjs", "mbauth.cjs"]) copyFileSync(join(bin, "..", file), join(dir, file))
    return spawnSync(process.execPath, [join(dir, "bin.mjs"), ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe("the command spec", () => {
  it("stored by the build is the one read off the source", () => {
    assert.deepStrictEqual(stored(), JSON.parse(JSON.stringify(Cli.app.spec())), "run `npm run build -w @mbauth/cli`")
  })

  it("gives every command examples, and every option a description", () => {
    for (const path of paths(Cli.app.spec().root)) {
      let command = Cli.app.spec().root
      for (const name of path) command = command.subcommands.find((c) => c.name === name)!
      assert.isAbove(command.examples.length, 0, `mbauth ${path.join(" ")} has no examples`)
      for (const example of command.examples) assert.match(example.command, /(^|\| |&& |=\S+ |\$\()mbauth /)
      for (const option of command.options) assert.notStrictEqual(option.description, "", option.name)
    }
  })

  it("reads placeholders, defaults, environment variables and choices off the definitions", () => {
    const spec = Cli.app.spec()
    const root = spec.root.options
    assert.deepInclude(root, {
      name: "--config-dir",
      aliases: [],
      kind: "text",
      placeholder: "DIR",
      env: "MBAUTH_CONFIG_DIR",
      optional: true,
      repeated: false,
      description: "Where saved servers and sign-ins live (default, or when empty: the platform's config folder)."
    })
    const login = spec.root.subcommands.find((c) => c.name === "server")!.subcommands.find((c) => c.name === "login")!
    assert.deepInclude(login.options, {
      name: "--interval",
      aliases: [],
      kind: "number",
      placeholder: "SECONDS",
      default: "5",
      optional: true,
      repeated: false,
      description: "Seconds between two status polls (1 to 60 for a service on another machine)."
    })
    assert.deepStrictEqual(login.args, [{
      name: "SERVER",
      optional: true,
      repeated: false,
      description: "A saved server: its ServerId, name or address (default: the one chosen with `server use`).",
      server: true
    }])
    const explain = spec.root.subcommands.find((c) => c.name === "request")!.subcommands[0]!
    assert.deepInclude(explain.options.map((o) => [o.name, o.aliases, o.placeholder, o.repeated]), ["--header", ["-H"], "'NAME: VALUE'", true])
  })
})

describe("help pages", () => {
  const program = Cli.app.spec()

  for (const width of [80, 120]) {
    it(`at ${width} columns: every page, as the executable prints it`, async () => {
      for (const path of paths(program.root)) {
        const r = mbauth([...path, "--help"], { env: { COLUMNS: String(width) } })
        assert.strictEqual(r.status, 0)
        assert.strictEqual(r.stderr, "")
        for (const line of r.stdout.split("\n")) assert.isAtMost(line.length, width, line)
        await expect(r.stdout).toMatchFileSnapshot(`__snapshots__/help/${["mbauth", ...path].join("-")}.${width}.txt`)
      }
    })
  }

  it("no line is wider than the page, at any width", () => {
    for (const width of [40, 57, 80, 100, 200]) {
      for (const path of paths(program.root)) {
        const page = HelpPage.render(program, path, { width, color: false })
        for (const line of page.split("\n")) {
          // Only a word longer than the page may stick out: a quoted shell word of an example.
          if (line.length > width) assert.match(line, /^ {2}(\$ | {2})('[^']*'|"[^"]*")( \\)?$/, `${width}: ${line}`)
        }
      }
    }
  })

  it("carries no sentence about the value's type and no leftover @effect/cli layout", () => {
    for (const path of paths(program.root)) {
      const page = HelpPage.render(program, path, { width: 80, color: false })
      for (const boilerplate of ["A user-defined piece of text", "This setting is optional", "A true or false value", "can be set from environment variables", "$ mbauth [--json]"]) {
        assert.notInclude(page, boilerplate, path.join(" "))
      }
      assert.strictEqual(page.split("\n").filter((l) => l === "mbauth").length, 0, "no header naming mbauth alone")
    }
  })

  it("an optional option is not shown as required on the usage line", () => {
    const generate = HelpPage.render(program, ["codegen", "generate"], { width: 80, color: false })
    assert.include(generate, "USAGE\n  mbauth codegen generate --spec FILE --out DIR [options]\n")
    assert.notInclude(generate.split("EXAMPLES")[0]!.split("OPTIONS")[0], "--target")
  })

  it("are the same bytes whether the executable or the program lays them out, in a pipe and at a width", () => {
    for (const args of [["--help"], ["-h"], [], ["header"], ["header", "parse", "--help"], ["get", "-h"], ["server", "ls", "--help"], ["--json", "server"]]) {
      for (const env of [{}, { COLUMNS: "100" }]) {
        const served = mbauth(args, { env })
        const laidOutByProgram = programOnly(args, env)
        assert.strictEqual(served.status, 0, args.join(" "))
        assert.strictEqual(laidOutByProgram.status, 0, args.join(" "))
        assert.notMatch(served.stdout, /\u001B\[/)
        assert.strictEqual(served.stdout, laidOutByProgram.stdout, args.join(" "))
      }
    }
  })

  const hasScript = spawnSync("script", ["--version"]).status === 0

  // util-linux `script` runs the command on a pseudo-terminal and copies what it writes.
  const onTerminal = (file: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
    const r = spawnSync("script", ["-qec", `stty cols 60; ${[process.execPath, file, ...args].map((a) => `'${a}'`).join(" ")}`, "/dev/null"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...env },
      timeout: 30_000
    })
    assert.strictEqual(r.status, 0, r.stderr)
    return r.stdout.replace(/\r\n/g, "\n")
  }

  it.runIf(hasScript)("on a terminal: its width, and colour unless NO_COLOR or TERM=dumb", () => {
    const coloured = onTerminal(bin, ["server", "login", "--help"])
    assert.match(coloured, /\u001B\[1mUSAGE/)
    for (const line of coloured.replace(/\u001B\[\d+m/g, "").split("\n")) assert.isAtMost(line.length, 60, line)
    for (const env of [{ NO_COLOR: "1" }, { TERM: "dumb" }]) {
      const plain = onTerminal(bin, ["--help"], env)
      assert.notMatch(plain, /\u001B\[/)
      assert.include(plain, "USAGE")
    }
  })
})

describe("HelpPage.request", () => {
  const program = Cli.app.spec()
  it("is a help request with -h/--help before --, or a group named alone", () => {
    assert.deepStrictEqual(HelpPage.request(program, ["header", "parse", "x", "--help"]), ["header", "parse"])
    assert.deepStrictEqual(HelpPage.request(program, ["--config-dir", "header", "header", "-h"]), ["header"])
    assert.deepStrictEqual(HelpPage.request(program, ["header"]), ["header"])
    assert.deepStrictEqual(HelpPage.request(program, []), [])
    assert.deepStrictEqual(HelpPage.request(program, ["--no-color", "--json", "-h"]), [])
    assert.deepStrictEqual(HelpPage.request(program, ["server", "rm", "-h"]), ["server", "remove"])
    assert.isUndefined(HelpPage.request(program, ["get", "server"]))
    assert.isUndefined(HelpPage.request(program, ["--config-dir", "d", "--version"]))
    assert.isUndefined(HelpPage.request(program, ["--completions", "bash"]))
    assert.isUndefined(HelpPage.request(program, ["--log-level", "bogus"]))
    assert.isUndefined(HelpPage.request(program, ["--bogus"]))
    assert.isUndefined(HelpPage.request(program, ["nope", "--help"]), "an unknown command is reported by the program")
    assert.isUndefined(HelpPage.request(program, ["header", "parse", "--", "--help"]))
  })
})
