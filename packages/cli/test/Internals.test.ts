import { assert, describe, it } from "@effect/vitest"
import * as Cli from "../src/Cli.js"
import * as Global from "../src/Global.js"
import { colorEnabled, colorModeOf, strip, styles } from "../src/internal/ansi.js"
import * as Argv from "../src/internal/argv.js"
import * as Caret from "../src/internal/caret.js"
import * as Usage from "../src/internal/usage.js"
import * as Secret from "../src/Secret.js"
import { splitLines } from "../src/Stdio.js"

describe("Secret.describe and Secret.toJson", () => {
  it("describe secrets by length; blank values are shown because they hide nothing", () => {
    assert.strictEqual(Secret.describe("abcd", false), "<redacted, 4 chars>")
    assert.strictEqual(Secret.describe("abcd", true), "\"abcd\"")
    assert.strictEqual(Secret.describe(" ", false), "\" \"")
    assert.deepStrictEqual(Secret.toJson("abcd", false), { redacted: true, length: 4 })
    assert.strictEqual(Secret.toJson("", false), "")
  })
})

describe("Usage.mask", () => {
  it("masks every quoted argument that may be a token, and shows what was given to a path option", () => {
    assert.strictEqual(Usage.mask("'Token=\"abc123\",' is not a integer"), "'Token=\"******\",' is not a integer")
    assert.strictEqual(Usage.mask("unknown option '--jsn' near 'S3CRET'"), "unknown option '--jsn' near '******'")
    assert.strictEqual(Usage.mask("path '/tmp/spec.json' must exist", new Set(["/tmp/spec.json"])), "path '/tmp/spec.json' must exist")
    // Only the value given to a path option is shown; the same text elsewhere is not.
    assert.strictEqual(Usage.mask("path '/tmp/spec.json' must exist"), "path '**************' must exist")
  })
})

describe("Caret.render", () => {
  it("puts the caret under the character at a UTF-16 offset", () => {
    const [line, caret] = Caret.render("ab📺cd", 4, { label: "here" })
    assert.strictEqual(line, "ab📺cd")
    assert.strictEqual(caret, "   ^ here")
  })

  it("shows control characters as one visible cell", () => {
    assert.deepStrictEqual(Caret.render("a\tb\u0000c", 4), ["a·b·c", "    ^"])
  })

  it("points past the end when the problem is a missing end", () => {
    assert.deepStrictEqual(Caret.render("abc", 3), ["abc", "   ^"])
  })

  it("windows long lines around the offset", () => {
    const input = `${"a".repeat(200)}X${"b".repeat(200)}`
    const [line, caret] = Caret.render(input, 200, { width: 40 })
    assert.strictEqual(line.length, 42)
    assert.isTrue(line.startsWith("…") && line.endsWith("…"))
    assert.strictEqual(line[caret.indexOf("^")], "X")
  })
})

describe("argv rewriting", () => {
  it("moves global options to the front, with --config-dir's value, up to --", () => {
    assert.deepStrictEqual(
      Global.hoist(["header", "parse", "x", "--json", "--config-dir", "d", "--no-color", "--verbose=true", "--", "--json"]),
      ["--json", "--config-dir", "d", "--no-color", "--verbose=true", "header", "parse", "x", "--", "--json"]
    )
    assert.deepStrictEqual(Global.hoist(["a", "--config-dir=d"]), ["--config-dir", "d", "a"])
    assert.deepStrictEqual(Global.hoist(["a", "--config-dir="]), ["--config-dir", "", "a"])
  })

  it("reads --version VALUE after header format as the client's version", () => {
    assert.deepStrictEqual(Argv.normalize(Cli.app.spec(), ["header", "format", "--version", "1.2"]), ["header", "format", "--client-version", "1.2"])
    assert.deepStrictEqual(Argv.normalize(Cli.app.spec(), ["--json", "header", "format", "--version=1"]), ["--json", "header", "format", "--client-version=1"])
    assert.deepStrictEqual(Argv.normalize(Cli.app.spec(), ["header", "format", "--version"]), ["header", "format", "--version"])
    assert.deepStrictEqual(Argv.normalize(Cli.app.spec(), ["header", "parse", "--version", "1"]), ["header", "parse", "--version", "1"])
    assert.deepStrictEqual(Argv.normalize(Cli.app.spec(), ["header", "format", "--", "--version", "1"]), ["header", "format", "--", "--version", "1"])
  })
})

describe("colour and lines", () => {
  it("colour only on a terminal without NO_COLOR, TERM=dumb or --no-color", () => {
    assert.isTrue(colorEnabled({ isTTY: true, env: {}, mode: "auto" }))
    assert.isFalse(colorEnabled({ isTTY: false, env: {}, mode: "auto" }))
    assert.isFalse(colorEnabled({ isTTY: true, env: { NO_COLOR: "1" }, mode: "auto" }))
    assert.isTrue(colorEnabled({ isTTY: true, env: { NO_COLOR: "" }, mode: "auto" }))
    assert.isFalse(colorEnabled({ isTTY: true, env: { TERM: "dumb" }, mode: "auto" }))
    assert.isFalse(colorEnabled({ isTTY: true, env: {}, mode: "never" }))
  })

  it("--color always|never decide; FORCE_COLOR turns colour on in a pipe and wins over NO_COLOR", () => {
    assert.isTrue(colorEnabled({ isTTY: false, env: { NO_COLOR: "1" }, mode: "always" }))
    assert.isFalse(colorEnabled({ isTTY: true, env: { FORCE_COLOR: "1" }, mode: "never" }))
    assert.isTrue(colorEnabled({ isTTY: false, env: { FORCE_COLOR: "1" }, mode: "auto" }))
    assert.isTrue(colorEnabled({ isTTY: false, env: { FORCE_COLOR: "1", NO_COLOR: "1" }, mode: "auto" }))
    assert.isFalse(colorEnabled({ isTTY: true, env: { FORCE_COLOR: "0" }, mode: "auto" }))
    assert.isFalse(colorEnabled({ isTTY: true, env: { FORCE_COLOR: "false" }, mode: "auto" }))
    assert.isTrue(colorEnabled({ isTTY: true, env: { FORCE_COLOR: "" }, mode: "auto" }))
    assert.deepStrictEqual(
      [[], ["--no-color"], ["--color", "always"], ["--color=never"], ["--no-color", "--color=always"], ["--", "--color=always"]].map(colorModeOf),
      ["auto", "never", "always", "never", "always", "auto"]
    )
    assert.strictEqual(strip(styles(true).red("x")), "x")
    assert.strictEqual(styles(false).red("x"), "x")
  })

  it("splits stdin into lines like the stream does", () => {
    assert.deepStrictEqual(splitLines("a\r\nb\n\nc"), ["a", "b", "", "c"])
    assert.deepStrictEqual(splitLines("a\n"), ["a"])
    assert.deepStrictEqual(splitLines(""), [])
  })
})
