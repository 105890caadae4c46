/**
 * Shared set-up for the Emby Connect and client tests: seeds with canary secrets, a fast client
 * policy (tiny backoff so real-socket retry tests take milliseconds), and a leak checker.
 */
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import { type FakeEmbyConnectOptions, type FakeEmbyConnectService, makeFakeEmbyConnect } from "@mbauth/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Schema from "effect/Schema"
import * as ClientError from "@mbauth/core/ClientError"
import { assert } from "@effect/vitest"

/** Secrets that must never show up anywhere but on the wire. */
export const CANARY = {
  password: "canary-PASSWORD-p4ss",
  accessKey: "canaryACCESSKEY0123456789abcdef01",
  guestKey: "canaryGUESTKEY0123456789abcdef001"
} as const

export const SYSTEM_ID = "f0e1d2c3b4a5968778695a4b3c2d1e0f"

export const seed: FakeEmbyConnectOptions = {
  users: [
    { name: "alice", email: "alice@example.com", password: CANARY.password, displayName: "Alice A." },
    { name: "bob", email: "bob@example.com", password: "bob-password" }
  ],
  servers: [
    {
      id: "5001",
      systemId: SYSTEM_ID,
      name: "Home",
      url: "https://home.example.com:8920",
      localAddress: "http://192.168.1.10:8096",
      users: [
        { user: "alice", accessKey: CANARY.accessKey },
        { user: "bob", userType: "Guest", accessKey: CANARY.guestKey }
      ]
    },
    { id: "5002", name: "Cabin", users: [{ user: "alice", userType: "Guest" }, { user: "bob", status: "Waiting" }] }
  ]
}

export const TEST_APP = { appName: "mbauth-test", appVersion: "1.0.0" } as const

/** Tiny delays so retries over real sockets take milliseconds. */
export const fastPolicy = (overrides: ClientPolicy.Options = {}) =>
  ClientPolicy.layer({ timeout: "2 seconds", retries: 3, backoff: "1 millis", maxBackoff: "4 millis", ...overrides })

export const connectTo = (
  fake: FakeEmbyConnectService,
  options: { readonly policy?: ClientPolicy.Options; readonly pinPollInterval?: string } = {}
) =>
  EmbyConnect.make({
    ...TEST_APP,
    baseUrl: fake.serviceUrl,
    pinPollInterval: (options.pinPollInterval ?? "10 millis") as "10 millis"
  }).pipe(Effect.provide(fastPolicy(options.policy)))

/** A fake Connect service and a client pointed at it. */
export const sandbox = (
  options: FakeEmbyConnectOptions = seed,
  client: Parameters<typeof connectTo>[1] = {}
) =>
  Effect.gen(function*() {
    const fake = yield* makeFakeEmbyConnect(options)
    const connect = yield* connectTo(fake, client)
    return { fake, connect }
  })

/** Every rendering of an error a user or a log could see. */
export const renderings = (error: ClientError.ClientError): ReadonlyArray<string> => [
  error.message,
  String(error),
  JSON.stringify(error),
  Inspectable.format(error),
  Cause.pretty(Cause.fail(error)),
  JSON.stringify(Schema.encodeSync(ClientError.ClientError)(error))
]

/** Asserts that none of the secrets appears in any rendering of the error. */
export const assertNoSecrets = (error: ClientError.ClientError, secrets: ReadonlyArray<string>) => {
  for (const text of renderings(error)) {
    for (const secret of secrets) {
      assert.notInclude(text, secret, `${error._tag} leaks a secret`)
    }
  }
}
