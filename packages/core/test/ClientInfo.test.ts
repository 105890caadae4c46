import { assert, describe, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ClientInfo from "../src/ClientInfo.js"

const info: ClientInfo.ClientInfo = { client: "My App", version: "1.2.0", device: "Living room", deviceId: "abc123" }

const fromEnv = (env: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("ClientInfo", () => {
  it.effect("make accepts a complete identity", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* ClientInfo.make(info), info)
    }))

  it.effect("make reports every field the spec's login rules reject", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(ClientInfo.make({ client: "", version: "1", device: "tv \ud800", deviceId: "" }))
      assert.strictEqual(error._tag, "InvalidClientInfo")
      assert.deepStrictEqual(
        error.issues.map((issue) => [issue.code, issue.parameter]),
        [["MissingParameter", "Client"], ["MissingParameter", "DeviceId"], ["UnencodableValue", "Device"]]
      )
      assert.include(error.message, "Client is required for login")
    }))

  it.effect("layerConfig reads MBAUTH_CLIENT, MBAUTH_CLIENT_VERSION, MBAUTH_DEVICE, MBAUTH_DEVICE_ID", () =>
    Effect.gen(function*() {
      const read = yield* ClientInfo.ClientInfo.pipe(
        Effect.provide(ClientInfo.layerConfig().pipe(
          Layer.provide(fromEnv({
            MBAUTH_CLIENT: "cli",
            MBAUTH_CLIENT_VERSION: "0.1.0",
            MBAUTH_DEVICE: "laptop",
            MBAUTH_DEVICE_ID: "id-1"
          }))
        ))
      )
      assert.deepStrictEqual(read, { client: "cli", version: "0.1.0", device: "laptop", deviceId: "id-1" })
    }))

  it.effect("layerConfig takes overrides per field and still validates", () =>
    Effect.gen(function*() {
      const layer = ClientInfo.layerConfig({ client: Config.succeed("fixed") }).pipe(
        Layer.provide(fromEnv({ MBAUTH_CLIENT_VERSION: "2", MBAUTH_DEVICE: "d", MBAUTH_DEVICE_ID: "" }))
      )
      const error = yield* Effect.flip(Effect.provide(ClientInfo.ClientInfo, layer))
      assert.strictEqual(error._tag, "InvalidClientInfo")
      const missing = yield* Effect.flip(
        Effect.provide(ClientInfo.ClientInfo, ClientInfo.layerConfig().pipe(Layer.provide(fromEnv({}))))
      )
      assert.strictEqual(missing._tag, "ConfigError")
    }))

  it("converts to and from header parameters", () => {
    assert.deepStrictEqual(ClientInfo.toParams(info), {
      Client: "My App",
      Version: "1.2.0",
      DeviceId: "abc123",
      Device: "Living room"
    })
    assert.deepStrictEqual(ClientInfo.fromParams({ Client: "c", DeviceId: "d", Token: "t" }), { client: "c", deviceId: "d" })
    assert.deepStrictEqual(ClientInfo.withDeviceId(info, "per-user"), { ...info, deviceId: "per-user" })
    assert.deepStrictEqual(ClientInfo.validate(info), [])
    assert.deepStrictEqual(ClientInfo.validate({ client: "c", version: "1", device: "d" }).map((i) => i.parameter), ["DeviceId"])
  })
})
