// The sandbox's helpers for the steps a person takes elsewhere (`sandbox confirm-pin`, `sandbox
// approve`), what `mbauth sandbox` prints about them, and `sandbox --tour --json`: in-process,
// against a sandbox on 127.0.0.1.
import { assert, describe, it } from "@effect/vitest"
import { makeSandbox } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import { howTo } from "../src/internal/sandbox/serve.js"
import { run } from "./utils/cli.js"

const started = makeSandbox({ discovery: false })

const createPin = (serviceUrl: string) =>
  Effect.promise(async () => {
    const created = await fetch(`${serviceUrl}pin`, {
      method: "POST",
      headers: { "X-Application": "mbauth-tests/0.1.0", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ deviceId: "helpers-device" })
    })
    return ((await created.json()) as { Pin: string }).Pin
  })

const pinStatus = (serviceUrl: string, pin: string) =>
  Effect.promise(async () => {
    const status = await fetch(`${serviceUrl}pin?${new URLSearchParams({ deviceId: "helpers-device", pin })}`, {
      headers: { "X-Application": "mbauth-tests/0.1.0" }
    })
    return ((await status.json()) as { IsConfirmed: boolean }).IsConfirmed
  })

const client = `MediaBrowser Client="mbauth-tests", Device="helpers", DeviceId="helpers-device", Version="0.1.0"`

const initiate = (url: string) =>
  Effect.promise(async () => {
    const initiated = await fetch(`${url}/QuickConnect/Initiate`, { method: "POST", headers: { Authorization: client } })
    return (await initiated.json()) as { Code: string; Secret: string }
  })

const authenticated = (url: string, secret: string) =>
  Effect.promise(async () => {
    const state = await fetch(`${url}/QuickConnect/Connect?secret=${secret}`, { headers: { Authorization: client } })
    return ((await state.json()) as { Authenticated: boolean }).Authenticated
  })

describe("mbauth sandbox confirm-pin", () => {
  it.live("confirms a waiting PIN as a demo user, at MBAUTH_CONNECT_URL or --url", () =>
    Effect.scoped(Effect.gen(function*() {
      const sandbox = yield* started
      const serviceUrl = sandbox.connect.serviceUrl
      const pin = yield* createPin(serviceUrl)
      assert.isFalse(yield* pinStatus(serviceUrl, pin))
      const confirmed = yield* run(["sandbox", "confirm-pin", pin], { env: { MBAUTH_CONNECT_URL: serviceUrl } })
      assert.strictEqual(confirmed.exitCode, 0, confirmed.stderr)
      assert.strictEqual(confirmed.stdout, `PIN ${pin} confirmed as alice@example.com: the waiting \`mbauth connect pin\` signs in now\n`)
      assert.isTrue(yield* pinStatus(serviceUrl, pin))
      const other = yield* createPin(serviceUrl)
      const asBob = yield* run(["sandbox", "confirm-pin", other, "--url", serviceUrl, "--user", "bob@example.com", "--json"])
      assert.strictEqual(asBob.exitCode, 0, asBob.stderr)
      assert.deepStrictEqual(JSON.parse(asBob.stdout), { ok: true, pin: other, user: "bob@example.com" })
      assert.isTrue(yield* pinStatus(serviceUrl, other))
    })))

  it.live("an unknown PIN, no address, the real Emby Connect or a user who is not a demo user: a clear error", () =>
    Effect.scoped(Effect.gen(function*() {
      const sandbox = yield* started
      const unknown = yield* run(["sandbox", "confirm-pin", "0000"], { env: { MBAUTH_CONNECT_URL: sandbox.connect.serviceUrl } })
      assert.strictEqual(unknown.exitCode, 1)
      assert.include(unknown.stderr, `error: no PIN 0000 is waiting at ${sandbox.connect.serviceUrl}`)
      assert.include(unknown.stderr, "mbauth connect pin")
      const nowhere = yield* run(["sandbox", "confirm-pin", "0000"])
      assert.strictEqual(nowhere.exitCode, 2)
      assert.include(nowhere.stderr, "--url URL or MBAUTH_CONNECT_URL")
      const real = yield* run(["sandbox", "confirm-pin", "0000", "--url", "https://connect.emby.media/service/"])
      assert.strictEqual(real.exitCode, 2)
      assert.include(real.stderr, "is the real Emby Connect")
      const stranger = yield* run(["sandbox", "confirm-pin", "0000", "--url", sandbox.connect.serviceUrl, "--user", "carol@example.com"])
      assert.strictEqual(stranger.exitCode, 2)
      assert.include(stranger.stderr, "alice@example.com or bob@example.com")
    })))
})

describe("mbauth sandbox approve", () => {
  it.live("approves a waiting Quick Connect code as a demo user; an unknown code is an error", () =>
    Effect.scoped(Effect.gen(function*() {
      const sandbox = yield* started
      const url = sandbox.jellyfin12.url
      const request = yield* initiate(url)
      assert.isFalse(yield* authenticated(url, request.Secret))
      const approved = yield* run(["sandbox", "approve", request.Code, "--url", url])
      assert.strictEqual(approved.exitCode, 0, approved.stderr)
      assert.strictEqual(approved.stdout, `code ${request.Code} approved as bob on Sandbox Jellyfin 12: the waiting device signs in now\n`)
      assert.isTrue(yield* authenticated(url, request.Secret))
      // The helper signed out again: no token of its own is left on the server.
      assert.strictEqual((yield* sandbox.jellyfin12.tokens).length, 1)
      assert.deepStrictEqual(yield* sandbox.jellyfin12.devices, [])
      const unknown = yield* run(["sandbox", "approve", "000000", "--url", url])
      assert.strictEqual(unknown.exitCode, 1)
      assert.include(unknown.stderr, "has no pending Quick Connect request with code 000000")
      const missing = yield* run(["sandbox", "approve", "000000"])
      assert.strictEqual(missing.exitCode, 2)
      assert.include(missing.stderr, "missing option --url URL")
    })))
})

describe("mbauth sandbox", () => {
  it.live("says how to confirm a PIN and approve a Quick Connect code, with the commands and over HTTP", () =>
    Effect.scoped(Effect.gen(function*() {
      const sandbox = yield* started
      const text = howTo(sandbox, undefined)
      assert.include(text, "mbauth sandbox confirm-pin PIN")
      assert.include(text, `POST ${sandbox.connect.serviceUrl}pin/confirm?pin=PIN&userId=USERID with X-Connect-UserToken: TOKEN`)
      assert.include(text, `mbauth sandbox approve CODE --url ${sandbox.jellyfin12.url}`)
      assert.include(text, `POST ${sandbox.jellyfin12.url}/QuickConnect/Authorize?code=CODE`)
    })))

  it.live("--tour --json: one JSON object per step on stdout, secrets masked, the rest on stderr", () =>
    Effect.gen(function*() {
      const tour = yield* run(["sandbox", "--tour", "--json"])
      assert.strictEqual(tour.exitCode, 0, tour.stderr)
      const steps = tour.stdout.trimEnd().split("\n").map((line) => JSON.parse(line))
      assert.deepStrictEqual(steps.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8])
      for (const step of steps) {
        assert.strictEqual(step.total, 8)
        assert.isString(step.title)
        assert.match(step.command, /^mbauth /)
        assert.isAbove(step.lines.length, 0, step.title)
      }
      assert.include(steps[0].lines.join("\n"), "token <redacted, 32 chars>")
      assert.notMatch(tour.stdout, /[0-9a-f]{32}"?,? ?(token|AccessKey)/)
      assert.include(tour.stderr, "mbauth sandbox tour:")
      assert.include(tour.stderr, "Tour complete.")
    }))
})
