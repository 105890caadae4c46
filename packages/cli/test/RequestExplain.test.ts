import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { run } from "./utils/cli.js"

const t1 = "0123456789abcdef0123456789abcdef"
const t2 = "fedcba9876543210fedcba9876543210"
const embyHeader = `X-Emby-Authorization: MediaBrowser Client="Web", Device="Firefox", DeviceId="abc", Version="10.8.5", Token="${t1}"`

const explain = (args: ReadonlyArray<string>, options?: Parameters<typeof run>[1]) =>
  Effect.map(run(["request", "explain", ...args, "--json"], options), (r) => {
    const json = JSON.parse(r.stdout)
    return {
      r,
      json,
      by: Object.fromEntries(json.profiles.map((p: any) => [`${p.profile}${p.legacy === null ? "" : p.legacy ? "/on" : "/off"}`, p]))
    }
  })

describe("request explain", () => {
  it.effect("which token each profile validates, legacy on and off", () =>
    Effect.gen(function*() {
      // A reverse proxy's Basic credential in Authorization hides X-Emby-Authorization from 10.11+.
      const { by, r } = yield* explain(["-H", "Authorization: Basic dXNlcjpwYXNz", "-H", embyHeader, "-q", `api_key=${t2}`])
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(by["jellyfin-10.10"].token.transport, "X-Emby-Authorization")
      assert.strictEqual(by["jellyfin-10.11/on"].token.transport, "api_key")
      assert.strictEqual(by["jellyfin-10.11/off"].token, null)
      assert.strictEqual(by["jellyfin-12/off"].token, null)
      assert.strictEqual(by["jellyfin-12/on"].token.transport, "api_key")
      assert.strictEqual(by["emby"].token.transport, "X-Emby-Authorization")
      assert.strictEqual(by["jellyfin-10.10"].authorization.params.Client, "Web")
      assert.isTrue(by["jellyfin-10.11/on"].warnings.some((w: any) => w.code === "SchemeHeaderHidden"))
      assert.deepStrictEqual(by["jellyfin-10.11/on"].legacyIsDefault, true)
      assert.deepStrictEqual(by["jellyfin-12/off"].legacyIsDefault, true)
      assert.notInclude(r.stdout, t1)
      assert.notInclude(r.stdout, t2)
    }))

  it.effect("the human report: a block per profile, tokens redacted", () =>
    Effect.gen(function*() {
      const r = yield* run(["request", "explain", "-H", embyHeader, "-q", `api_key=${t2}`, "--profile", "jellyfin-12"])
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(
        r.stdout,
        [
          "jellyfin-12 legacy off (default)",
          "  token     no token: the request is anonymous",
          "  client    none: no scheme header was read",
          "  skipped   X-Emby-Authorization <redacted, 32 chars> ignored: legacy authorization is off",
          "  skipped   api_key <redacted, 32 chars> ignored: legacy authorization is off",
          "  warning   LegacyDisabled: X-Emby-Authorization is ignored while legacy authorization is disabled: no client info or token is read from it",
          "  warning   LegacyDisabled: api_key is ignored while legacy authorization is disabled",
          "  warning   MultipleTokens: 2 tokens were sent (2 different values); the server validates none of them",
          "",
          "jellyfin-12 legacy on",
          "  token     X-Emby-Authorization <redacted, 32 chars>",
          "  client    X-Emby-Authorization (MediaBrowser) Client=\"Web\" Version=\"10.8.5\" DeviceId=\"abc\" Device=\"Firefox\"",
          "  skipped   api_key <redacted, 32 chars> ignored: another source was read instead",
          "  warning   DeprecatedTransport: X-Emby-Authorization is deprecated; use Authorization",
          "  warning   MultipleTokens: 2 tokens were sent (2 different values); the server validates only the one from X-Emby-Authorization",
          ""
        ].join("\n")
      )
    }))

  it.effect("--show-secrets shows the token values", () =>
    Effect.gen(function*() {
      const { by } = yield* explain(["-H", `X-Emby-Token: ${t1}`, "--profile", "emby", "--show-secrets"])
      assert.deepStrictEqual(by["emby"].token, { transport: "X-Emby-Token", value: t1 })
    }))

  it.effect("query values are form-decoded and repeated values joined, as ASP.NET does", () =>
    Effect.gen(function*() {
      const { by } = yield* explain(["-q", "ApiKey=a+b%2Bc", "--profile", "jellyfin-10.11", "--show-secrets"])
      assert.strictEqual(by["jellyfin-10.11/on"].token.value, "a b+c")
      const repeated = yield* explain(["-q", "ApiKey=a", "-q", "apikey=b", "--profile", "jellyfin-10.11", "--show-secrets"])
      assert.strictEqual(repeated.by["jellyfin-10.11/on"].token.value, "a,b")
      assert.isTrue(repeated.by["jellyfin-10.11/on"].warnings.some((w: any) => w.code === "RepeatedValues"))
    }))

  it.effect("a white-space token: read, yet anonymous", () =>
    Effect.gen(function*() {
      const { by } = yield* explain(["-H", "Authorization: MediaBrowser Token=\"+\"", "--profile", "jellyfin-10.10"])
      assert.strictEqual(by["jellyfin-10.10"].hasToken, false)
      assert.strictEqual(by["jellyfin-10.10"].token.value, " ")
    }))

  it.effect("usage errors: a header without a colon, nothing to explain, -H with --stdin", () =>
    Effect.gen(function*() {
      const bad = yield* run(["request", "explain", "-H", "X-Emby-Token"])
      assert.strictEqual(bad.exitCode, 2)
      assert.include(bad.stderr, "-H takes 'Name: value'")
      const none = yield* run(["request", "explain"])
      assert.strictEqual(none.exitCode, 2)
      assert.include(none.stderr, "nothing to explain")
      const both = yield* run(["request", "explain", "-H", "A: b", "--stdin"], { stdin: "{}" })
      assert.strictEqual(both.exitCode, 2)
    }))

  it.effect("batch: JSON requests in, one line out per line, invalid lines included", () =>
    Effect.gen(function*() {
      const input = [
        JSON.stringify({ headers: { "X-Emby-Token": t1 } }),
        JSON.stringify({ headers: { Authorization: 42 } }),
        "[]",
        JSON.stringify({ query: { ApiKey: [t2] } })
      ].join("\n")
      const human = yield* run(["request", "explain", "--stdin", "--profile", "jellyfin-12"], { stdin: input })
      assert.strictEqual(human.exitCode, 1)
      assert.deepStrictEqual(human.stdout.split("\n").slice(0, -1), [
        "jellyfin-12 legacy off (default): none | jellyfin-12 legacy on: X-Emby-Token",
        "",
        "",
        "jellyfin-12 legacy off (default): ApiKey | jellyfin-12 legacy on: ApiKey"
      ])
      assert.include(human.stderr, "line 2: \"headers.Authorization\" must be a string or an array of strings")
      assert.include(human.stderr, "line 3: each line must be a JSON object")
      const json = yield* run(["request", "explain", "--stdin", "--json"], { stdin: input })
      const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual(lines.map((l) => [l.line, l.ok]), [[1, true], [2, false], [3, false], [4, true]])
      assert.strictEqual(lines[0].profiles.length, 6)
      assert.notInclude(json.stdout, t1)
    }))
})
