import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Rules from "../src/internal/header/lintRules.js"
import { run } from "./utils/cli.js"

const token = "0123456789abcdef0123456789abcdef"
const info = `Client="Jellyfin%20Web", Device="Firefox", DeviceId="abc", Version="10.11.0"`

const codes = (value: string) => Rules.lint(value).map((f) => [f.severity, f.code, f.offset] as const)
const find = (value: string, code: string) => Rules.lint(value).find((f) => f.code === code)

describe("header lint rules", () => {
  it("a canonical header has no findings", () => {
    assert.deepStrictEqual(codes(`MediaBrowser Token="${token}", ${info}`), [])
  })

  it("unquoted values: a warning pointing at the value", () => {
    const value = `MediaBrowser Token=${token}, ${info}`
    assert.deepStrictEqual(codes(value), [["warning", "UnquotedValue", value.indexOf(token)]])
  })

  it("an unquoted \"=\" (base64 padding) loses the value: an error for the Token", () => {
    const value = `MediaBrowser ${info}, Token=YWJj==`
    const finding = find(value, "ValueLost")!
    assert.strictEqual(finding.severity, "error")
    assert.strictEqual(finding.offset, value.indexOf("=="))
    assert.include(finding.message, "the value of Token")
  })

  it("\"+\" becomes a space", () => {
    const value = `MediaBrowser ${info.replace("Firefox", "Fire+fox")}, Token="${token}"`
    const finding = find(value, "PlusIsSpace")!
    assert.strictEqual(finding.severity, "warning")
    assert.strictEqual(finding.offset, value.indexOf("+"))
    assert.include(finding.fix, "%2B")
  })

  it("a space after \"=\" keeps the quotes in the value: an error for the Token", () => {
    const value = `MediaBrowser ${info}, Token= "${token}"`
    const finding = find(value, "SpaceAfterEquals")!
    assert.strictEqual(finding.severity, "error")
    assert.strictEqual(finding.offset, value.indexOf("Token=") + 6)
  })

  it("a space between the closing quote and the comma", () => {
    const value = `MediaBrowser Client="x" , Device="y", DeviceId="z", Version="1"`
    const finding = find(value, "SpaceBeforeComma")!
    assert.strictEqual(finding.severity, "warning")
    assert.strictEqual(finding.offset, value.indexOf("\" ,") + 1)
  })

  it("an odd quote swallows the Token into another value: an error naming Token", () => {
    const value = `MediaBrowser Client="My \\"app\\", Token="${token}", Device="d", DeviceId="i", Version="1"`
    const finding = find(value, "SwallowedParameters")!
    assert.strictEqual(finding.severity, "error")
    assert.include(finding.message, "Token")
    assert.strictEqual(finding.offset, value.indexOf("\\\"") + 1)
    assert.notInclude(finding.message, token)
  })

  it("balanced inner quotes are only a warning", () => {
    const value = `MediaBrowser Client="My "app"", Token="${token}"`
    assert.strictEqual(find(value, "InnerQuote")?.severity, "warning")
    assert.isUndefined(find(value, "SwallowedParameters"))
  })

  it("miscased keys: the server reads Token, not token (an error); other keys a warning", () => {
    const value = `MediaBrowser token="${token}", client="x"`
    const findings = Rules.lint(value).filter((f) => f.code === "KeyCase")
    assert.deepStrictEqual(findings.map((f) => [f.severity, f.offset]), [["error", 13], ["warning", value.indexOf("client")]])
    assert.include(findings[0]!.fix, "rename token to Token")
  })

  it("unknown keys (info) and keys that are not keys (warning)", () => {
    const value = `MediaBrowser Token="${token}", Colour="red", "Odd Key"="x"`
    assert.strictEqual(find(value, "UnknownKey")?.offset, value.indexOf("Colour"))
    assert.strictEqual(find(value, "UnknownKey")?.severity, "info")
    assert.strictEqual(find(value, "InvalidKey")?.severity, "warning")
  })

  it("duplicates: the last one wins", () => {
    const value = `MediaBrowser Token="${token}", Client="a", Client="b"`
    const finding = find(value, "DuplicateKey")!
    assert.strictEqual(finding.offset, value.lastIndexOf("Client"))
    assert.include(finding.message, "keeps the last")
  })

  it("an empty Token falls through (warning); a white-space Token is anonymous (error)", () => {
    assert.strictEqual(find(`MediaBrowser Token="", ${info}`, "EmptyToken")?.severity, "warning")
    assert.strictEqual(find(`MediaBrowser Token=" ", ${info}`, "WhiteSpaceToken")?.severity, "error")
    assert.strictEqual(find(`MediaBrowser Token="+", ${info}`, "WhiteSpaceToken")?.severity, "error")
  })

  it("a comma in an unquoted value leaves text without a key", () => {
    const value = `MediaBrowser Device=Living room, upstairs, Token="${token}"`
    assert.strictEqual(find(value, "ValueWithoutKey")?.offset, value.indexOf(" upstairs"))
  })

  it("an empty unquoted value keeps its key pending", () => {
    const value = `MediaBrowser Token=,abc, ${info}`
    assert.strictEqual(find(value, "EmptyValue")?.offset, value.indexOf(","))
  })

  it("an unterminated quote takes the rest of the header", () => {
    const value = `MediaBrowser Token="${token}, ${info.replaceAll("\"", "")}`
    assert.strictEqual(find(value, "UnterminatedQuote")?.offset, value.indexOf("\""))
  })

  it("a login header without the client info a login needs", () => {
    const finding = find("MediaBrowser Client=\"x\"", "MissingForLogin")!
    assert.strictEqual(finding.severity, "warning")
    assert.include(finding.message, "Version, DeviceId, Device")
  })

  it("the scheme: unreadable is an error, Emby is legacy", () => {
    assert.deepStrictEqual(codes("Bearer abc"), [["error", "UnknownScheme", 0]])
    assert.deepStrictEqual(codes("MediaBrowser"), [["error", "MissingScheme", 12]])
    assert.strictEqual(find(`Emby Token="${token}"`, "LegacyScheme")?.severity, "warning")
  })

  it("what only the strict grammar rejects is reported as info", () => {
    assert.deepStrictEqual(codes(`MediaBrowser Token="${token}",Client="x"`).map(([s, c]) => [s, c]), [])
    const value = `MediaBrowser Token="${token}", Client="a b"`
    assert.deepStrictEqual(codes(value), [["info", "StrictInvalidCharacter", value.indexOf(" b")]])
  })

  it("messages never contain the values", () => {
    const values = [
      `MediaBrowser Client="My \\"app\\", Token="${token}"`,
      `MediaBrowser token="${token}"`,
      `MediaBrowser Token= "${token}"`,
      `MediaBrowser Token=${token}==`
    ]
    for (const value of values) {
      for (const f of Rules.lint(value)) assert.notInclude(`${f.message} ${f.fix}`, token.slice(0, 8))
    }
  })
})

describe("header lint", () => {
  it.effect("prints each finding under a caret with its fix, then how each server reads it", () =>
    Effect.gen(function*() {
      const value = `MediaBrowser ${info}, token="${token}"`
      const r = yield* run(["header", "lint", value])
      assert.strictEqual(r.exitCode, 1)
      const lines = r.stdout.split("\n")
      assert.strictEqual(lines[0], "error KeyCase: keys are case-sensitive: the server reads Token, not token, so this value is ignored")
      // The line is windowed around the offset; the caret is under the key.
      assert.strictEqual(lines[1]!.slice(lines[2]!.indexOf("^"), lines[2]!.indexOf("^") + 7), "token=\"")
      assert.strictEqual(lines[3], "  fix: rename token to Token")
      assert.include(r.stdout, "How each server reads it (sent as Authorization):")
      assert.match(r.stdout, /jellyfin-12 legacy off \(default\) +no token: the request is anonymous; client info from Authorization/)
      assert.include(r.stdout, "1 error")
      assert.notInclude(r.stdout + r.stderr, token)
    }))

  it.effect("a clean header exits 0 and shows the token each profile validates", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "lint", `MediaBrowser Token="${token}", ${info}`, "--profile", "jellyfin-10.11"])
      assert.strictEqual(r.exitCode, 0)
      assert.include(r.stdout, "jellyfin-10.11 legacy on (default)  Authorization <redacted, 32 chars>; client info from Authorization")
      assert.include(r.stdout, "jellyfin-10.11 legacy off           Authorization <redacted, 32 chars>")
      assert.notInclude(r.stdout, "emby")
      assert.include(r.stdout, "no problems found")
    }))

  it.effect("a header without some login fields: emby would take them from its separate X-Emby-* values, Jellyfin from nowhere", () =>
    Effect.gen(function*() {
      const value = `MediaBrowser Token="${token}", Client="App"`
      const r = yield* run(["header", "lint", value])
      assert.include(
        r.stdout,
        "Authorization <redacted, 32 chars>; client info from Authorization " +
          "(emby also reads X-Emby-Device-Name, X-Emby-Device-Id, X-Emby-Client-Version for what it lacks)"
      )
      assert.match(r.stdout, /\n {2}emby +Authorization .*also reads/)
      assert.notMatch(r.stdout, /jellyfin[^\n]*also reads/)
      const complete = yield* run(["header", "lint", `MediaBrowser Token="${token}", ${info}`, "--profile", "emby"])
      assert.notInclude(complete.stdout, "also reads")
      const json = JSON.parse((yield* run(["header", "lint", value, "--profile", "emby", "--json"])).stdout)
      assert.deepStrictEqual(json.profiles[0].parameters, { Client: "App" })
      assert.deepStrictEqual(json.profiles[0].parameterValues, [{ parameter: "Client", value: "App", via: "scheme", name: "Authorization" }])
    }))

  it.effect("--header-name X-Emby-Authorization: servers with legacy off read nothing", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "lint", `MediaBrowser Token="${token}", ${info}`, "--header-name", "X-Emby-Authorization", "--json"])
      const json = JSON.parse(r.stdout)
      const byLabel = Object.fromEntries(json.profiles.map((p: any) => [`${p.profile}/${p.legacy}`, p]))
      assert.strictEqual(byLabel["jellyfin-12/false"].token, null)
      assert.strictEqual(byLabel["jellyfin-12/true"].token.transport, "X-Emby-Authorization")
      assert.deepStrictEqual(byLabel["jellyfin-10.10/null"].token.value, { redacted: true, length: 32 })
      assert.isTrue(byLabel["jellyfin-12/false"].warnings.some((w: any) => w.code === "LegacyDisabled"))
    }))

  it.effect("--json: ok, findings with offsets and fixes, and profiles", () =>
    Effect.gen(function*() {
      const value = `MediaBrowser Token=" ", ${info}`
      const r = yield* run(["header", "lint", value, "--json"])
      assert.strictEqual(r.exitCode, 1)
      const json = JSON.parse(r.stdout)
      assert.strictEqual(json.ok, false)
      assert.deepStrictEqual(json.findings.map((f: any) => f.code), ["WhiteSpaceToken"])
      assert.strictEqual(json.profiles.length, 6)
      assert.strictEqual(json.profiles[0].hasToken, false)
      assert.strictEqual(json.profiles[0].token.value, " ")
    }))

  it.effect("batch: a line per input with the findings and each profile's token source", () =>
    Effect.gen(function*() {
      const input = [`MediaBrowser Token="${token}", ${info}`, "Bearer x", `MediaBrowser Token=${token}`].join("\n")
      const r = yield* run(["header", "lint", "--stdin", "--profile", "jellyfin-12"], { stdin: input })
      assert.strictEqual(r.exitCode, 1)
      assert.deepStrictEqual(r.stdout.split("\n").slice(0, -1), [
        "no problems found | jellyfin-12 legacy off (default): Authorization | jellyfin-12 legacy on: Authorization",
        "error UnknownScheme@0 | jellyfin-12 legacy off (default): none | jellyfin-12 legacy on: none",
        "warning UnquotedValue@19 | jellyfin-12 legacy off (default): Authorization | jellyfin-12 legacy on: Authorization"
      ])
      assert.include(r.stderr, "1 line failed")
      const json = yield* run(["header", "lint", "--stdin", "--json"], { stdin: input })
      assert.deepStrictEqual(json.stdout.trim().split("\n").map((l) => JSON.parse(l).ok), [true, false, true])
    }))
})
