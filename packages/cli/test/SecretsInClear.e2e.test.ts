// Nothing that may be a token is printed in clear: usage errors quote what was typed, and every
// parse view shows values only for the client identity (#14 item 8). The built executable, as a
// user runs it.
import { assert, describe, it } from "@effect/vitest"
import { buildOnce, mbauth, type Result } from "./utils/bin.js"

buildOnce()

const SECRET = "S3CRETcanary"

const noSecret = (r: Result, what: string) => {
  assert.notInclude(r.stdout, SECRET, `${what}: stdout`)
  assert.notInclude(r.stderr, SECRET, `${what}: stderr`)
}

describe("secrets are never printed in clear (built executable)", () => {
  it("an unquoted header on the command line: the usage error masks the token", () => {
    const r = mbauth(["header", "parse", "MediaBrowser", `Token="${SECRET}",`, "Client=\"app\""])
    assert.strictEqual(r.status, 2)
    assert.include(r.stderr, "unexpected argument 'Token=\"************\",' for 'mbauth header parse'")
    noSecret(r, "unquoted header")
    const bare = mbauth(["header", "lint", "MediaBrowser", SECRET])
    assert.strictEqual(bare.status, 2)
    assert.include(bare.stderr, "unexpected argument '************' for 'mbauth header lint'")
    noSecret(bare, "bare token argument")
  })

  for (
    const value of [
      `MediaBrowser Token==${SECRET}`,
      `=${SECRET}`,
      `MediaBrowser "Token"="${SECRET}"`,
      `MediaBrowser =${SECRET}`,
      `MediaBrowser Client="app", X=${SECRET}`
    ]
  ) {
    it(`header parse and lint hide the value in ${JSON.stringify(value.replace(SECRET, "SECRET"))}`, () => {
      for (const args of [["header", "parse"], ["header", "parse", "--json"], ["header", "lint"], ["header", "lint", "--json"]]) {
        const r = mbauth([...args, value])
        assert.include([0, 1], r.status, `${args.join(" ")}: ${r.stderr}`)
        noSecret(r, args.join(" "))
      }
      const stdin = mbauth(["header", "parse", "--stdin", "--json"], { input: `${value}\n` })
      noSecret(stdin, "parse --stdin")
      // --show-secrets still shows it: that is what the flag is for.
      const shown = mbauth(["header", "parse", "--show-secrets", value])
      assert.include(shown.stdout + shown.stderr, SECRET)
    })
  }
})
