import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as PlatformError from "@effect/platform/Error"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { createHash } from "node:crypto"
import * as DeviceId from "../src/DeviceId.js"

const install = DeviceId.InstallId.make("AAAAAAAAAAAAAAAAAAAAAA")

describe("DeviceId", () => {
  it.effect("the install id is created once and kept in the caller's store", () =>
    Effect.gen(function*() {
      const first = yield* DeviceId.installId()
      const second = yield* DeviceId.installId()
      assert.strictEqual(first, second)
      assert.match(first, /^[A-Za-z0-9_-]{22}$/)
      const store = yield* KeyValueStore.KeyValueStore
      assert.strictEqual(yield* store.get(DeviceId.defaultStoreKey).pipe(Effect.map((o) => o._tag === "Some" ? o.value : "")), first)
      const other = yield* DeviceId.installId({ key: "elsewhere" })
      assert.notStrictEqual(other, first)
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))

  it.effect("derive matches an independent SHA-256 computation (pinned algorithm)", () =>
    Effect.gen(function*() {
      const expected = createHash("sha256").update("mbauth/DeviceId/v1\u0000AAAAAAAAAAAAAAAAAAAAAA\u0000alice").digest()
        .subarray(0, 24).toString("base64url")
      assert.strictEqual(yield* DeviceId.derive(install, "alice"), expected)
    }))

  it.effect("one id per (install, user): stable, different per user and per install, never the name", () =>
    Effect.gen(function*() {
      const alice = yield* DeviceId.derive(install, "alice")
      assert.strictEqual(yield* DeviceId.derive(install, "alice"), alice)
      assert.notStrictEqual(yield* DeviceId.derive(install, "bob"), alice)
      assert.notStrictEqual(yield* DeviceId.derive(DeviceId.InstallId.make("BBBBBBBBBBBBBBBBBBBBBB"), "alice"), alice)
      assert.notInclude(alice.toLowerCase(), "alice")
    }))

  it.effect("user names the server treats as one user give one id (case, Unicode form, surrounding space)", () =>
    Effect.gen(function*() {
      const id = yield* DeviceId.derive(install, "Zoë")
      assert.strictEqual(yield* DeviceId.derive(install, "zoë"), id)
      assert.strictEqual(yield* DeviceId.derive(install, " Zoe\u0308 "), id)
    }))

  it.effect.prop("ids are URL-safe: every SDK's encoding leaves them unchanged", [FastCheck.string()], ([name]) =>
    Effect.gen(function*() {
      const id = yield* DeviceId.derive(install, name)
      assert.strictEqual(encodeURIComponent(id), id)
      assert.strictEqual(id.length, 32)
      assert.isTrue(DeviceId.isDeviceId(id))
    }), { fastCheck: { numRuns: 30 } })

  it.effect("forUser combines the stored install id and the user", () =>
    Effect.gen(function*() {
      const id = yield* DeviceId.forUser("carol")
      assert.strictEqual(id, yield* DeviceId.derive(yield* DeviceId.installId(), "carol"))
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))

  it.effect("a stored value that is not an install id is a typed error, and so is a failing store", () =>
    Effect.gen(function*() {
      const corrupt = yield* Effect.flip(
        Effect.gen(function*() {
          yield* Effect.orDie((yield* KeyValueStore.KeyValueStore).set(DeviceId.defaultStoreKey, "not an id"))
          return yield* DeviceId.forUser("dave")
        }).pipe(Effect.provide(KeyValueStore.layerMemory))
      )
      assert.strictEqual(corrupt.reason, "InvalidStoredValue")
      const failing = Layer.succeed(
        KeyValueStore.KeyValueStore,
        KeyValueStore.makeStringOnly({
          get: () => Effect.fail(new PlatformError.SystemError({ reason: "PermissionDenied", module: "KeyValueStore", method: "get" })),
          set: () => Effect.void,
          remove: () => Effect.void,
          clear: Effect.void,
          size: Effect.succeed(0)
        })
      )
      const failed = yield* Effect.flip(DeviceId.forUser("dave").pipe(Effect.provide(failing)))
      assert.strictEqual(failed.reason, "StoreFailed")
      assert.include(failed.message, DeviceId.defaultStoreKey)
    }))

  it("isDeviceId accepts URL-safe ids only", () => {
    assert.isTrue(DeviceId.isDeviceId("abc-DEF_123"))
    assert.isFalse(DeviceId.isDeviceId("has space"))
    assert.isFalse(DeviceId.isDeviceId("a=b"))
    assert.isFalse(DeviceId.isDeviceId(""))
  })
})
