import { makeSandboxPersonas } from "@mbauth/testing"
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

// Emby's separate X-Emby-* client values: emby reads them (the scheme header's value wins), Jellyfin
// ignores them. The e2e case sends the same request to the sandbox's emby-4.9 and jellyfin-12.0
// personas over real sockets and checks that `request explain` predicts what each server did.
describe("request explain: Emby's separate client values", () => {
  const separate = [
    "-H", "X-Emby-Client: Emby Web",
    "-H", "X-Emby-Device-Name: Firefox%20on%20Linux",
    "-q", "X-Emby-Device-Id=d9",
    "-q", "X-Emby-Client-Version=4.9.0.33"
  ]

  it.effect("the human report names where each client value came from, and what Jellyfin skips", () =>
    Effect.gen(function*() {
      const emby = yield* run(["request", "explain", ...separate, "-H", `X-Emby-Token: ${t1}`, "--profile", "emby"])
      assert.strictEqual(emby.exitCode, 0, emby.stderr)
      assert.strictEqual(
        emby.stdout,
        [
          "emby",
          "  token     X-Emby-Token <redacted, 32 chars>",
          "  client    none: no scheme header was read",
          "  client    X-Emby-Client header Client=\"Emby Web\"",
          "  client    X-Emby-Client-Version query parameter Version=\"4.9.0.33\"",
          "  client    X-Emby-Device-Id query parameter DeviceId=\"d9\"",
          "  client    X-Emby-Device-Name header Device=\"Firefox on Linux\"",
          ""
        ].join("\n")
      )
      const jellyfin = yield* run(["request", "explain", ...separate, "--profile", "jellyfin-10.10"])
      assert.include(jellyfin.stdout, "  skipped   X-Emby-Client header Client=\"Emby Web\" ignored: this server never reads it")
      assert.include(jellyfin.stdout, "  warning   SeparateValuesNotRead: jellyfin-10.10 does not read X-Emby-Client, X-Emby-Client-Version")
    }))

  it.scoped("agrees with the emby-4.9 and jellyfin-12.0 personas over real sockets", () =>
    Effect.gen(function*() {
      const { servers } = yield* makeSandboxPersonas({ personas: [{ persona: "emby-4.9" }, { persona: "jellyfin-12.0" }] })
      const [emby, jellyfin] = servers.map((s) => s.server)
      // The scheme header names the client; the device and version travel as separate values.
      const scheme = "MediaBrowser Client=\"Scheme App\""
      const headers = { authorization: scheme, "x-emby-client": "Emby Web", "x-emby-device-name": "Firefox%20on%20Linux" }
      const query = "X-Emby-Device-Id=d9&X-Emby-Client-Version=4.9.0.33"
      const signIn = (apiUrl: string) =>
        Effect.promise(() =>
          fetch(`${apiUrl}/Users/AuthenticateByName?${query}`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ Username: "bob", Pw: "bob-password" })
          })
        )
      const embyAnswer = yield* signIn(emby!.apiUrl)
      assert.strictEqual(embyAnswer.status, 200)
      const session = (yield* Effect.promise(() => embyAnswer.json())) as { SessionInfo: Record<string, string> }
      // Jellyfin reads only the scheme header: Device, DeviceId and Version are missing, so no sign-in.
      assert.strictEqual((yield* signIn(jellyfin!.apiUrl)).status, 400)

      const { by } = yield* explain(["-H", `Authorization: ${scheme}`, ...separate])
      assert.deepStrictEqual(by["emby"].parameters, {
        Client: session.SessionInfo.Client,
        Version: session.SessionInfo.ApplicationVersion,
        DeviceId: session.SessionInfo.DeviceId,
        Device: session.SessionInfo.DeviceName
      })
      assert.deepStrictEqual(by["emby"].parameters, { Client: "Scheme App", Version: "4.9.0.33", DeviceId: "d9", Device: "Firefox on Linux" })
      assert.isTrue(by["emby"].warnings.some((w: any) => w.code === "ConflictingValues"))
      assert.deepStrictEqual(by["jellyfin-12/off"].parameters, { Client: "Scheme App" })
      assert.deepStrictEqual(
        by["jellyfin-12/off"].parameterValues.filter((v: any) => v.ignored === "NotReadByProfile").map((v: any) => v.name),
        ["X-Emby-Client", "X-Emby-Client-Version", "X-Emby-Device-Id", "X-Emby-Device-Name"]
      )
    }))
})
