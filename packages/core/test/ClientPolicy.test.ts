import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"

describe("ClientPolicy", () => {
  it.effect("without a layer, clients get the defaults", () =>
    Effect.gen(function*() {
      const policy = yield* ClientPolicy.ClientPolicy
      assert.deepStrictEqual(policy.defaults, ClientPolicy.defaults)
      assert.deepStrictEqual(policy.forClient("EmbyConnect"), ClientPolicy.defaults)
    }))

  it.effect("the layer applies global options, then per-client overrides", () =>
    Effect.gen(function*() {
      const policy = yield* ClientPolicy.ClientPolicy
      assert.isTrue(Duration.equals(policy.forClient("MediaServer").timeout, Duration.seconds(5)))
      assert.strictEqual(policy.forClient("MediaServer").retries, 3)
      const connect = policy.forClient("EmbyConnect")
      assert.isTrue(Duration.equals(connect.timeout, Duration.seconds(5)))
      assert.strictEqual(connect.retries, 0)
      assert.isTrue(Duration.equals(connect.backoff, Duration.millis(10)))
    }).pipe(Effect.provide(ClientPolicy.layer({
      timeout: "5 seconds",
      clients: { EmbyConnect: { retries: 0, backoff: 10 } }
    }))))

  it("inherited object keys are not client names", () => {
    const policy = ClientPolicy.make({ retries: 2 })
    assert.strictEqual(policy.forClient("toString").retries, 2)
    assert.strictEqual(policy.forClient("__proto__").retries, 2)
  })

  it("out-of-range values are clamped, never rejected", () => {
    const s = ClientPolicy.merge(ClientPolicy.defaults, {
      retries: 1e9,
      maxResponseBytes: 1,
      timeout: -5,
      backoff: Number.NaN
    })
    assert.strictEqual(s.retries, 10)
    assert.strictEqual(s.maxResponseBytes, 1024)
    assert.isTrue(Duration.equals(s.timeout, Duration.zero))
    assert.strictEqual(ClientPolicy.merge(ClientPolicy.defaults, { retries: -3 }).retries, 0)
    assert.strictEqual(ClientPolicy.merge(ClientPolicy.defaults, { retries: Number.NaN }).retries, 0)
  })

  it.effect("layerConfig reads (prefixed) configuration and keeps per-client overrides", () =>
    Effect.gen(function*() {
      const policy = yield* ClientPolicy.ClientPolicy
      assert.isTrue(Duration.equals(policy.defaults.timeout, Duration.seconds(7)))
      assert.strictEqual(policy.defaults.retries, 1)
      assert.isFalse(policy.defaults.jitter)
      assert.isTrue(Duration.equals(policy.defaults.backoff, ClientPolicy.defaults.backoff))
      assert.strictEqual(policy.forClient("EmbyConnect").retries, 5)
    }).pipe(
      Effect.provide(ClientPolicy.layerConfig({ clients: { EmbyConnect: { retries: 5 } } })),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
        ["timeout", "7 seconds"],
        ["retries", "1"],
        ["jitter", "false"]
      ])))
    ))

  it.effect("layerConfig fails with a ConfigError on bad values", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Layer.build(ClientPolicy.layerConfig()).pipe(Effect.scoped))
      assert.isTrue(Exit.isFailure(exit))
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["retries", "lots"]])))))
})
