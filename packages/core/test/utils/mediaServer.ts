/**
 * Shared set-up for the MediaServer tests: canary secrets, a client identity, fake servers seeded
 * with users and an API key, a fake Emby linked to a fake Emby Connect, and a client pointed at a
 * fake.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import type * as ClientInfo from "@mbauth/core/ClientInfo"
import type { ProfileName } from "@mbauth/core/Credentials"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import { type FakeMediaServer, makeFakeEmby, makeFakeEmbyConnect } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { TEST_APP } from "./connect.js"

export const SECRETS = {
  alice: "canary-ALICE-pw-7f3a",
  bob: "canary-BOB-pw-91c2",
  apiKey: "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
} as const

export const USERS = [
  { name: "alice", password: SECRETS.alice, isAdministrator: true },
  { name: "bob", password: SECRETS.bob }
] as const

export const API_KEYS = [{ name: "mbauth-tests", key: SECRETS.apiKey }] as const

export const CLIENT: ClientInfo.ClientInfo = {
  client: "mbauth tests",
  version: "1.2.3",
  device: "Test runner",
  deviceId: "device-1"
}

export const alice = { username: "alice", password: Redacted.make<string>(SECRETS.alice) }
export const bob = { username: "bob", password: Redacted.make<string>(SECRETS.bob) }

/** Tiny delays so retries over real sockets take milliseconds. */
export const fastPolicy = (overrides: ClientPolicy.Options = {}) =>
  ClientPolicy.layer({ timeout: "2 seconds", retries: 3, backoff: "1 millis", maxBackoff: "4 millis", ...overrides })

/** A client for a fake server (its own profile unless told otherwise). */
export const clientFor = (
  server: FakeMediaServer,
  options: {
    readonly clientInfo?: Partial<ClientInfo.ClientInfo>
    readonly profile?: ProfileName
    readonly policy?: ClientPolicy.Options
    readonly address?: string
  } = {}
): Effect.Effect<MediaServer.Service, never, HttpClient.HttpClient> =>
  MediaServer.make({
    address: options.address ?? server.url,
    profile: options.profile ?? server.profile,
    clientInfo: { ...CLIENT, ...options.clientInfo },
    quickConnectPollInterval: "10 millis"
  }).pipe(Effect.provide(fastPolicy(options.policy)), Effect.orDie)

export const CONNECT_PASSWORD = "canary-CONNECT-pw"
export const ACCESS_KEY = "canaryACCESSKEYfedcba9876543210ab"

/**
 * A fake Connect with alice (linked, with {@link ACCESS_KEY}) and carol (linked to the server, but
 * no local user), a fake Emby registered with it, and a Connect client.
 */
export const embyWithConnect = Effect.gen(function*() {
  const connect = yield* makeFakeEmbyConnect({
    users: [
      { name: "alice", email: "alice@example.com", password: CONNECT_PASSWORD },
      { name: "carol", email: "carol@example.com", password: CONNECT_PASSWORD }
    ]
  })
  const emby = yield* makeFakeEmby({
    users: [{ ...USERS[0], connectUser: "alice@example.com" }, USERS[1]],
    apiKeys: API_KEYS,
    connect,
    wanAddress: "https://emby.example.com:8920"
  })
  yield* connect.addServer({
    systemId: emby.id,
    name: emby.serverName,
    url: "https://emby.example.com:8920",
    users: [{ user: "alice", accessKey: ACCESS_KEY }, { user: "carol" }]
  })
  const connectClient = yield* EmbyConnect.make({ ...TEST_APP, baseUrl: connect.serviceUrl }).pipe(
    Effect.provide(fastPolicy()),
    Effect.orDie
  )
  return { connect, emby, connectClient }
})
