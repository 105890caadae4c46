// Usage errors as a user meets them, from the built executable: `error: …` on stderr naming the
// option or argument, the valid values, the nearest command or option, the help page to read,
// exit 2; with --json also one {"ok":false,"error":{…}} line on stdout.
import { assert, describe, it } from "@effect/vitest"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildOnce, mbauth } from "./utils/bin.js"

buildOnce()

const usage = (args: ReadonlyArray<string>, lines: ReadonlyArray<string>) => {
  const r = mbauth(args)
  assert.strictEqual(r.status, 2, `${args.join(" ")}: ${r.stderr}`)
  assert.strictEqual(r.stdout, "", args.join(" "))
  assert.strictEqual(r.stderr, `${lines.join("\n")}\n`, args.join(" "))
}

describe("usage errors", () => {
  it("an unknown command: the valid ones and the nearest", () => {
    usage(["header", "formt"], [
      "error: unknown command 'formt' for 'mbauth header': expected one of format, parse, lint",
      "  did you mean 'mbauth header format'?",
      "  see 'mbauth header --help'"
    ])
    usage(["server", "lst"], [
      "error: unknown command 'lst' for 'mbauth server': expected one of add, discover, login, list, use, logout, approve, remove",
      "  did you mean 'mbauth server list'?",
      "  see 'mbauth server --help'"
    ])
    usage(["hedaer", "parse", "x"], [
      "error: unknown command 'hedaer' for 'mbauth': expected one of header, request, connect, server, auth, get, api, doctor, sandbox, codegen",
      "  did you mean 'mbauth header'?",
      "  see 'mbauth --help'"
    ])
    usage(["nope", "--help"], [
      "error: unknown command 'nope' for 'mbauth': expected one of header, request, connect, server, auth, get, api, doctor, sandbox, codegen",
      "  see 'mbauth --help'"
    ])
  })

  it("an unknown option: the nearest, on the command's own page", () => {
    usage(["header", "parse", "--mod", "strict", "x"], [
      "error: unknown option '--mod' for 'mbauth header parse'",
      "  did you mean '--mode'?",
      "  see 'mbauth header parse --help'"
    ])
    usage(["server", "list", "--jsn"], [
      "error: unknown option '--jsn' for 'mbauth server list'",
      "  did you mean '--json'?",
      "  see 'mbauth server list --help'"
    ])
  })

  it("a wrong value: the option, the valid values, the nearest", () => {
    usage(["header", "parse", "--mode", "strct", "x"], [
      "error: invalid value 'strct' for --mode: expected one of strict, compat",
      "  did you mean '--mode strict'?",
      "  see 'mbauth header parse --help'"
    ])
    usage(["--completions", "powershell"], [
      "error: invalid value 'powershell' for --completions: expected one of bash, zsh, fish",
      "  see 'mbauth --help'"
    ])
    usage(["--log-level", "bogus"], [
      "error: invalid value 'bogus' for --log-level: expected one of all, trace, debug, info, warning, error, fatal, none",
      "  see 'mbauth --help'"
    ])
    usage(["connect", "pin", "--interval", "soon"], [
      "error: invalid value 'soon' for --interval: expected a number",
      "  see 'mbauth connect pin --help'"
    ])
    usage(["server", "list", "--json=maybe"], [
      "error: --json is a flag and takes no value (got 'maybe')",
      // A global option is described on the program's page.
      "  see 'mbauth --help'"
    ])
  })

  it("a missing value, argument or option: named, with what it is", () => {
    usage(["server", "login", "home", "--user"], [
      "error: option --user needs a value (NAME)",
      "  see 'mbauth server login --help'"
    ])
    usage(["server", "login", "--user", "--quick-connect", "home"], [
      "error: option --user needs a value (NAME)",
      "  see 'mbauth server login --help'"
    ])
    usage(["get"], [
      "error: missing argument PATH: The API path, e.g. /Users/Me or /System/Info (query allowed).",
      "  see 'mbauth get --help'"
    ])
    usage(["server", "use"], [
      "error: missing argument SERVER: A saved server: its ServerId, name or address.",
      "  see 'mbauth server use --help'"
    ])
    usage(["codegen", "check", "--out", "x"], [
      "error: missing option --spec FILE: The spec file (JSON).",
      "  see 'mbauth codegen check --help'"
    ])
  })

  it("an extra argument is named, and a secret in it is masked", () => {
    // The header typed without quotes: the shell splits it, the token lands in an argument.
    usage(["header", "parse", "MediaBrowser", "Token=\"abcdef123456\",", "Client=\"x\""], [
      "error: unexpected argument 'Token=\"************\",' for 'mbauth header parse': it takes VALUE",
      "  see 'mbauth header parse --help'"
    ])
  })

  it("what only @effect/cli can check is said the same way", () => {
    usage(["codegen", "check", "--spec", "/nonexistent/spec.json", "--out", "x"], [
      "error: path '/nonexistent/spec.json' must exist",
      "  see 'mbauth codegen check --help'"
    ])
  })

  it("with --json (anywhere): one JSON line on stdout, the message on stderr, exit 2", () => {
    for (const args of [["--json", "header", "formt"], ["header", "formt", "--json"]]) {
      const r = mbauth(args)
      assert.strictEqual(r.status, 2)
      assert.deepStrictEqual(r.stdout.split("\n"), [
        JSON.stringify({
          ok: false,
          error: {
            code: "UsageError",
            message: "unknown command 'formt' for 'mbauth header': expected one of format, parse, lint",
            hint: "did you mean 'mbauth header format'?",
            help: "mbauth header --help"
          }
        }),
        ""
      ])
      assert.include(r.stderr, "error: unknown command 'formt'")
    }
    const residual = mbauth(["--json", "codegen", "check", "--spec", "/nonexistent/spec.json", "--out", "x"])
    assert.strictEqual(residual.status, 2)
    assert.deepStrictEqual(JSON.parse(residual.stdout), {
      ok: false,
      error: { code: "UsageError", message: "path '/nonexistent/spec.json' must exist", help: "mbauth codegen check --help" }
    })
  })
})

describe("aliases", () => {
  it("server ls is server list, server rm is server remove", () => {
    const env = { MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-alias-")) }
    const ls = mbauth(["server", "ls", "--json"], { env })
    assert.strictEqual(ls.status, 0, ls.stderr)
    assert.strictEqual(ls.stdout, mbauth(["server", "list", "--json"], { env }).stdout)
    const rm = mbauth(["server", "rm", "nowhere"], { env })
    const remove = mbauth(["server", "remove", "nowhere"], { env })
    assert.strictEqual(rm.status, 1)
    assert.strictEqual(rm.stderr, remove.stderr)
    assert.include(mbauth(["server", "--help"]).stdout, "list")
    assert.include(mbauth(["server", "ls", "--help"]).stdout, "ALIASES\n  ls\n")
  })
})
