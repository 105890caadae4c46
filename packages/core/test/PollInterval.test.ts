/**
 * Poll intervals of the sign-ins that wait for a person (Emby Connect PIN, Jellyfin Quick Connect)
 * are checked before anything is sent: zero, negative, NaN and infinite intervals, intervals
 * shorter than a second towards another machine, and intervals longer than the code lives.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as ClientError from "@mbauth/core/ClientError"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { CLIENT } from "./utils/manager.js"

/** An HTTP client that records what would have been sent and answers nothing. */
const recording = () => {
  const sent: Array<string> = []
  const fetch = ((input: RequestInfo | URL) => {
    sent.push(String(input))
    return Promise.reject(new Error("no network in this test"))
  }) as typeof globalThis.fetch
  return { sent, layer: FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch))) }
}

const refusedIntervals: ReadonlyArray<Duration.DurationInput> = [0, -5, NaN, Infinity, Duration.seconds(NaN), Duration.seconds(-5), Duration.infinity, "1000000000 seconds"]

describe("poll intervals", () => {
  it.effect("Emby Connect PIN: refused intervals fail with InvalidPollInterval and nothing is sent", () =>
    Effect.gen(function*() {
      const { layer, sent } = recording()
      for (const baseUrl of ["https://connect.emby.media/service/", "http://127.0.0.1:1/service/"]) {
        const connect = yield* Effect.provide(EmbyConnect.make({ appName: "t", appVersion: "1", baseUrl }), layer)
        for (const interval of [...refusedIntervals, ...(baseUrl.includes("127.0.0.1") ? [] : ["100 millis" as Duration.DurationInput])]) {
          const error = yield* Effect.flip(Stream.runDrain(connect.signInWithPin({ deviceId: "d", interval })))
          assert.instanceOf(error, ClientError.InvalidPollInterval, `${baseUrl} ${String(interval)}`)
        }
      }
      assert.deepStrictEqual(sent, [])
    }))

  it.effect("the ceiling is the shorter of one minute and expireAfter; the floor is one second for another machine", () =>
    Effect.gen(function*() {
      const { layer } = recording()
      const connect = yield* Effect.provide(EmbyConnect.make({ appName: "t", appVersion: "1" }), layer)
      const error = yield* Effect.flip(Stream.runDrain(connect.signInWithPin({ deviceId: "d", interval: "30 seconds", expireAfter: "20 seconds" })))
      assert.instanceOf(error, ClientError.InvalidPollInterval)
      assert.strictEqual(
        error.message,
        "The poll interval 30 seconds for Emby Connect is not usable: it must be between 1s and 20s (shorter would hammer the service, longer would outlast the code)."
      )
    }))

  it.effect("Quick Connect: refused intervals fail with InvalidPollInterval and nothing is sent", () =>
    Effect.gen(function*() {
      const { layer, sent } = recording()
      for (const address of ["https://media.example.com", "http://127.0.0.1:1"]) {
        const server = yield* Effect.provide(MediaServer.make({ address, profile: "jellyfin-10.11", clientInfo: CLIENT }), layer)
        for (const interval of refusedIntervals) {
          const error = yield* Effect.flip(Stream.runDrain(server.quickConnect({ interval })))
          assert.instanceOf(error, ClientError.InvalidPollInterval, `${address} ${String(interval)}`)
        }
      }
      assert.deepStrictEqual(sent, [])
    }))
})
