// The help pages the executable serves without running the program (dist/help.json, written by the
// build): each must be exactly what the program prints for that command line, and every help
// command line of the current command tree must be stored. `npm test` builds first; after changing
// a command's options or description, run `npm run build -w @mbauth/cli` before this test alone.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Cli from "../src/Cli.js"
import { strip } from "../src/internal/ansi.js"
import * as Argv from "../src/internal/argv.js"
import * as HelpRender from "../src/internal/helpRender.js"
import * as HelpText from "../src/internal/helpText.js"
import { buildOnce } from "./utils/bin.js"
import { run } from "./utils/cli.js"

buildOnce()

const stored = (): HelpText.Pages =>
  JSON.parse(readFileSync(fileURLToPath(new URL("../dist/help.json", import.meta.url)), "utf8"))

const rebuild = "dist/help.json is stale: run `npm run build -w @mbauth/cli`"

describe("stored help pages", () => {
  it("cover every help command line of the command tree, and nothing else", () => {
    const expected = HelpRender.commandLines(Argv.treeOf(Cli.commands)).map((args) => HelpText.key(args))
    assert.sameMembers(Object.keys(stored().commandLines), expected as Array<string>, rebuild)
    // Spot checks, so the enumeration itself is tested too.
    assert.includeMembers(expected, ["", "--help", "-h", "header", "header parse --help", "get -h", "codegen check --help"])
    assert.notInclude(expected, "get", "a command named alone runs, it is not a help request")
  })

  it.effect("are byte for byte what the program prints, colour codes included", () =>
    Effect.gen(function*() {
      const pages = stored()
      for (const [k, index] of Object.entries(pages.commandLines)) {
        const live = yield* run(k === "" ? [] : k.split(" "))
        assert.strictEqual(live.exitCode, 0, k)
        assert.strictEqual(live.stderr, "", k)
        assert.strictEqual(pages.texts[index], live.rawStdout, `${rebuild} (mbauth ${k})`)
      }
      // The pages do carry colour codes, which HelpText.lookup strips when stdout gets no colour.
      assert.match(pages.texts[pages.commandLines["--help"]!]!, /\u001B\[/)
    }), 120_000)
})

describe("HelpText", () => {
  const pages: HelpText.Pages = {
    texts: ["\u001B[1mroot\u001B[0m\n", "parse\n"],
    commandLines: { "--help": 0, "-h": 0, "header parse --help": 1 }
  }

  it("serves exactly the stored command lines, with or without colour", () => {
    assert.strictEqual(HelpText.lookup(pages, ["--help"], true), "\u001B[1mroot\u001B[0m\n")
    assert.strictEqual(HelpText.lookup(pages, ["-h"], false), "root\n")
    assert.strictEqual(HelpText.lookup(pages, ["header", "parse", "--help"], false), "parse\n")
    assert.isUndefined(HelpText.lookup(pages, ["--no-color", "--help"], false))
    assert.isUndefined(HelpText.lookup(pages, ["header", "parse"], false))
    assert.isUndefined(HelpText.lookup(pages, ["toString"], false))
    assert.isUndefined(HelpText.lookup(pages, ["__proto__"], false))
  })

  it("gives no key to arguments that joining would confuse", () => {
    assert.strictEqual(HelpText.key(["header", "parse", "--help"]), "header parse --help")
    assert.strictEqual(HelpText.key([]), "")
    assert.isUndefined(HelpText.key(["header parse", "--help"]))
    assert.isUndefined(HelpText.key(["header", "", "--help"]))
    assert.isUndefined(HelpText.key(["a\tb"]))
    assert.isUndefined(HelpText.key(["a", "b", "c", "d"]))
  })

  it("reads the pages only for command lines shaped like a stored help request", () => {
    for (const args of HelpRender.commandLines(Argv.treeOf(Cli.commands))) assert.isTrue(HelpText.isHelpShaped(args), args.join(" "))
    assert.isFalse(HelpText.isHelpShaped(["get", "server"]))
    assert.isFalse(HelpText.isHelpShaped(["header", "parse", "x"]))
  })

  it("strips colour as the program's Console does", () => {
    const page = HelpText.lookup(stored(), ["--help"], false)!
    assert.strictEqual(page, strip(stored().texts[stored().commandLines["--help"]!]!))
    assert.notMatch(page, /\u001B/)
  })
})
