/**
 * Diagnosis against each sandbox persona (legacy on and off, Quick Connect on and off, a valid and a
 * revoked token), over real sockets; explainRequest offline.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Fault, makeSandboxPersonas, refusedUrl, SANDBOX_DEMO, type SandboxPersonaOptions } from "@mbauth/testing"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Diagnosis from "../src/Diagnosis.js"

const start = (persona: SandboxPersonaOptions) =>
  Effect.map(makeSandboxPersonas({ personas: [persona] }), (running) => running.servers[0]!.server)

const codes = (diagnosis: Diagnosis.Diagnosis) => diagnosis.findings.map((f) => f.code)

const reads = (diagnosis: Diagnosis.Diagnosis) =>
  Object.fromEntries(diagnosis.transports.map((t) => [t.transport, [t.read, t.evidence]]))

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("Diagnosis.diagnose", (it) => {
  it.scoped("jellyfin-12.0 as shipped: legacy off (probed), Quick Connect on, ApiKey read, api_key not", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0" })
      const diagnosis = yield* Diagnosis.diagnose({ address: server.url })
      assert.strictEqual(diagnosis.profile, "jellyfin-12")
      assert.strictEqual(diagnosis.server?.version, "12.0.0")
      assert.strictEqual(diagnosis.legacy, false)
      assert.strictEqual(diagnosis.quickConnect, true)
      assert.deepStrictEqual(codes(diagnosis), ["Identified", "LegacyOff", "QuickConnectOn"])
      assert.deepStrictEqual(reads(diagnosis), {
        Authorization: [true, "probed"],
        "X-Emby-Authorization": [false, "probed"],
        "X-Emby-Token": [false, "inferred"],
        "X-MediaBrowser-Token": [false, "inferred"],
        ApiKey: [true, "inferred"],
        api_key: [false, "inferred"]
      })
      const legacyOff = diagnosis.findings.find((f) => f.code === "LegacyOff")!
      assert.include(legacyOff.fix, "Authorization: MediaBrowser Token")
      // The probes signed nobody in.
      assert.deepStrictEqual(yield* server.devices, [])
    }))

  it.scoped("jellyfin-12.0 with legacy on and Quick Connect off", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0", legacy: true, quickConnect: false })
      const diagnosis = yield* Diagnosis.diagnose({ address: server.url })
      assert.strictEqual(diagnosis.legacy, true)
      assert.deepStrictEqual(codes(diagnosis), ["Identified", "LegacyOn", "QuickConnectOff"])
      assert.deepStrictEqual(reads(diagnosis)["X-Emby-Token"], [true, "inferred"])
    }))

  it.scoped("jellyfin-10.11 (legacy on), jellyfin-10.10 (no switch), emby-4.9 (no ApiKey)", () =>
    Effect.gen(function*() {
      const j11 = yield* Diagnosis.diagnose({ address: (yield* start({ persona: "jellyfin-10.11" })).url })
      assert.deepStrictEqual(codes(j11), ["Identified", "LegacyOn", "QuickConnectOn"])
      const j10 = yield* Diagnosis.diagnose({ address: (yield* start({ persona: "jellyfin-10.10" })).url })
      assert.deepStrictEqual(codes(j10), ["Identified", "NoLegacySwitch", "QuickConnectOn"])
      const emby = yield* Diagnosis.diagnose({ address: (yield* start({ persona: "emby-4.9" })).url })
      assert.strictEqual(emby.profile, "emby")
      assert.strictEqual(emby.quickConnect, undefined)
      assert.deepStrictEqual(codes(emby), ["Identified", "NoLegacySwitch"])
      assert.deepStrictEqual(reads(emby).ApiKey, [false, "inferred"])
      assert.deepStrictEqual(reads(emby)["X-Emby-Authorization"], [true, "probed"])
    }))

  it.scoped("a valid token on 12.0: accepted in Authorization and ApiKey, ignored elsewhere; a revoked one: rejected", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0" })
      const token = yield* Effect.orDie(server.signIn("bob"))
      const valid = yield* Diagnosis.diagnose({ address: server.url, token: Redacted.make(token) })
      assert.strictEqual(valid.token, "accepted")
      assert.deepStrictEqual(
        valid.transports.filter((t) => t.acceptsToken).map((t) => t.transport),
        ["Authorization", "ApiKey"]
      )
      const ignored = valid.findings.find((f) => f.code === "TransportIgnored")!
      assert.include(ignored.cause, "X-Emby-Token")
      assert.include(ignored.cause, "legacy authorization is off")
      assert.notInclude(JSON.stringify(valid), token)
      // The checks sent no client fields: the device record is as the sign-in left it.
      assert.deepStrictEqual((yield* server.devices).map((d) => d.device), ["fake device"])

      yield* server.revoke(token)
      const revoked = yield* Diagnosis.diagnose({ address: server.url, token: Redacted.make(token) })
      assert.strictEqual(revoked.token, "rejected")
      assert.deepStrictEqual(codes(revoked), ["Identified", "LegacyOff", "QuickConnectOn", "TokenRejected"])
    }))

  it.scoped("the API key on Emby is accepted as X-Emby-Token and api_key, not ApiKey", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "emby-4.9" })
      const diagnosis = yield* Diagnosis.diagnose({ address: server.url, token: Redacted.make(SANDBOX_DEMO.apiKey.key) })
      assert.deepStrictEqual(
        diagnosis.transports.map((t) => [t.transport, t.acceptsToken]),
        [
          ["Authorization", true],
          ["X-Emby-Authorization", true],
          ["X-Emby-Token", true],
          ["X-MediaBrowser-Token", true],
          ["ApiKey", false],
          ["api_key", true]
        ]
      )
    }))

  it.scoped("an address with nothing listening is an Unreachable finding, not a failure", () =>
    Effect.gen(function*() {
      const diagnosis = yield* Diagnosis.diagnose({ address: yield* refusedUrl, timeout: "2 seconds" })
      assert.deepStrictEqual(codes(diagnosis), ["Unreachable"])
      assert.strictEqual(diagnosis.server, undefined)
    }))

  it.scoped("a proxy dropping Authorization shows as AuthorizationHeaderLost", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0" })
      // The sign-in probe's Authorization header never arrives: the server answers 400.
      yield* server.faults.set({
        fault: Fault.Status({ status: 400, body: "Value cannot be null or an empty string. (Parameter 'appName')" }),
        method: "POST",
        path: /authenticatebyname/i
      })
      const diagnosis = yield* Diagnosis.diagnose({ address: server.url })
      assert.include(codes(diagnosis), "AuthorizationHeaderLost")
    }))
})

describe("Diagnosis.explainRequest", () => {
  const token = "0123456789abcdef0123456789abcdef"
  it("X-Emby-Token on Jellyfin 12: ignored because legacy is off, with the header to send instead", () => {
    const findings = Diagnosis.explainRequest({ headers: { "X-Emby-Token": token }, query: {} }, { profile: "jellyfin-12" })
    assert.deepStrictEqual(findings.map((f) => [f.code, f.level]), [["TransportIgnored", "problem"]])
    assert.include(findings[0]!.cause, "legacy authorization is off")
    assert.include(findings[0]!.fix, "Authorization: MediaBrowser")
    assert.notInclude(JSON.stringify(findings), token)
  })

  it("?ApiKey= on Emby: never read", () => {
    const findings = Diagnosis.explainRequest({ headers: {}, query: { ApiKey: token } }, { profile: "emby" })
    assert.deepStrictEqual(findings.map((f) => f.code), ["TransportIgnored"])
    assert.include(findings[0]!.fix, "X-Emby-Token")
  })

  it("a token the server reads: then the server does not know it", () => {
    const findings = Diagnosis.explainRequest(
      { headers: { Authorization: `MediaBrowser Token="${token}"` }, query: {} },
      { profile: "jellyfin-12" }
    )
    assert.deepStrictEqual(findings.map((f) => f.code), ["TokenRejected"])
    assert.include(findings[0]!.cause, "from Authorization")
  })

  it("no token at all", () => {
    assert.deepStrictEqual(
      Diagnosis.explainRequest({ headers: {}, query: {} }, { profile: "jellyfin-10.11" }).map((f) => f.code),
      ["NoToken"]
    )
  })
})
