/**
 * The sandbox: a fake Emby Connect service, a Jellyfin 10.11, a Jellyfin 12 (legacy off) and an
 * Emby server with demo users, API keys and Connect links, started together on 127.0.0.1, plus one
 * discovery responder answering for the three servers. What `mbauth sandbox` serves.
 *
 * The demo data is fixed (see {@link DEMO}) so that documentation and demos can name it; it is
 * test data, not a secret.
 *
 * @internal
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Discovery from "./discoveryResponder.js"
import * as ConnectFake from "./embyConnect.js"
import * as Emby from "./fakeEmby.js"
import * as Jellyfin from "./fakeJellyfin.js"
import type * as Engine from "./fakeMediaServer.js"

/** The fixed demo data. */
export const DEMO = {
  connect: {
    alice: { name: "alice", email: "alice@example.com", password: "alice-connect-password" },
    bob: { name: "bob", email: "bob@example.com", password: "bob-connect-password" }
  },
  users: {
    alice: { name: "alice", password: "alice-password", isAdministrator: true },
    bob: { name: "bob", password: "bob-password", isAdministrator: false }
  },
  apiKey: { name: "mbauth-sandbox", key: "5a4db0c1e2f34a5b8c6d7e8f9a0b1c2d" },
  serverIds: {
    jellyfin: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    jellyfin12: "b2c3d4e5f60718293a4b5c6d7e8f90a1",
    emby: "c3d4e5f60718293a4b5c6d7e8f90a1b2"
  },
  accessKeys: { alice: "d4e5f60718293a4b5c6d7e8f90a1b2c3", bob: "e5f60718293a4b5c6d7e8f90a1b2c3d4" }
} as const

/** Ports to use; each defaults to 0 (a free port). */
export interface SandboxPorts {
  readonly connect?: number | undefined
  readonly jellyfin?: number | undefined
  readonly jellyfin12?: number | undefined
  readonly emby?: number | undefined
  /** The discovery responder's UDP port (the real servers use 7359). */
  readonly discovery?: number | undefined
}

/** Options of {@link make}. */
export interface SandboxOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  readonly ports?: SandboxPorts | undefined
  /** Run the discovery responder; default true. */
  readonly discovery?: boolean | undefined
  /** The Jellyfin 12 server's legacy switch; default false (Jellyfin 12's default). */
  readonly jellyfin12Legacy?: boolean | undefined
}

/** One running service, described for people (the CLI prints this). */
export interface ServiceDescription {
  readonly name: string
  readonly kind: "EmbyConnect" | "Jellyfin" | "Emby"
  /** What a user types. */
  readonly url: string
  /** Where the API lives (Connect: the client's base URL). */
  readonly apiUrl: string
  readonly profile?: string | undefined
  readonly version?: string | undefined
  readonly serverId?: string | undefined
  readonly legacy?: boolean | undefined
  readonly users: ReadonlyArray<{ readonly name: string; readonly password: string; readonly note?: string | undefined }>
  readonly apiKeys: ReadonlyArray<{ readonly name: string; readonly key: string }>
}

/** The running sandbox. */
export interface Sandbox {
  readonly connect: ConnectFake.FakeEmbyConnectService
  readonly jellyfin: Jellyfin.FakeJellyfinServer
  readonly jellyfin12: Jellyfin.FakeJellyfinServer
  readonly emby: Emby.FakeEmbyServer
  readonly discovery: Discovery.DiscoveryResponder | undefined
  readonly services: ReadonlyArray<ServiceDescription>
  /** The services as text, one block per service. */
  readonly description: string
}

const describeService = (service: ServiceDescription): string => {
  const lines = [`${service.name}`, `  url:       ${service.url}`]
  if (service.apiUrl !== service.url) lines.push(`  api:       ${service.apiUrl}`)
  if (service.profile !== undefined) lines.push(`  profile:   ${service.profile}${service.legacy === undefined ? "" : ` (legacy ${service.legacy ? "on" : "off"})`}`)
  if (service.version !== undefined) lines.push(`  version:   ${service.version}`)
  if (service.serverId !== undefined) lines.push(`  server id: ${service.serverId}`)
  for (const user of service.users) {
    lines.push(`  user:      ${user.name} / ${user.password}${user.note === undefined ? "" : `  (${user.note})`}`)
  }
  for (const key of service.apiKeys) lines.push(`  api key:   ${key.key}  (${key.name})`)
  return lines.join("\n")
}

/** Starts the sandbox for the scope. */
export const make = (
  options: SandboxOptions = {}
): Effect.Effect<
  Sandbox,
  | HttpServerError.ServeError
  | ConnectFake.FakeConnectError
  | Engine.FakeServerError
  | Discovery.DiscoveryResponderError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const ports = options.ports ?? {}
    const users = [DEMO.users.alice, DEMO.users.bob]
    const apiKeys = [DEMO.apiKey]

    const connect = yield* ConnectFake.make({
      host,
      port: ports.connect,
      users: [DEMO.connect.alice, DEMO.connect.bob]
    })
    const jellyfin = yield* Jellyfin.make({
      profile: "jellyfin-10.11",
      id: DEMO.serverIds.jellyfin,
      serverName: "Sandbox Jellyfin 10.11",
      users,
      apiKeys,
      host,
      port: ports.jellyfin
    })
    const jellyfin12 = yield* Jellyfin.make({
      profile: "jellyfin-12",
      legacy: options.jellyfin12Legacy ?? false,
      id: DEMO.serverIds.jellyfin12,
      serverName: "Sandbox Jellyfin 12",
      users,
      apiKeys,
      host,
      port: ports.jellyfin12
    })
    const emby = yield* Emby.make({
      id: DEMO.serverIds.emby,
      serverName: "Sandbox Emby",
      users: [
        { ...DEMO.users.alice, connectUser: DEMO.connect.alice.name },
        { ...DEMO.users.bob, connectUser: DEMO.connect.bob.name }
      ],
      apiKeys,
      connect,
      host,
      port: ports.emby
    })
    yield* connect.addServer({
      systemId: emby.id,
      name: emby.serverName,
      url: emby.url,
      localAddress: emby.url,
      users: [
        { user: DEMO.connect.alice.name, accessKey: DEMO.accessKeys.alice },
        { user: DEMO.connect.bob.name, userType: "Guest", accessKey: DEMO.accessKeys.bob }
      ]
    })

    const discovery = options.discovery === false ? undefined : yield* Discovery.make({
      host,
      port: ports.discovery ?? 0,
      entries: [jellyfin, jellyfin12, emby].map((server) => ({
        product: server.product,
        address: server.url,
        id: server.id,
        name: server.serverName
      }))
    })

    const serverDescription = (
      server: Engine.FakeMediaServer,
      kind: "Jellyfin" | "Emby",
      legacy: boolean | undefined
    ): Effect.Effect<ServiceDescription> =>
      Effect.map(server.users, (records) => ({
        name: server.serverName,
        kind,
        url: server.url,
        apiUrl: server.apiUrl,
        profile: server.profile,
        version: server.version,
        serverId: server.id,
        legacy,
        users: records.map((u) => {
          const notes = [
            ...(u.isAdministrator ? ["administrator"] : []),
            ...(u.connectUser === undefined ? [] : [`linked to Connect user ${u.connectUser}`])
          ]
          return { name: u.name, password: u.password, ...(notes.length === 0 ? {} : { note: notes.join("; ") }) }
        }),
        apiKeys
      }))

    const services: ReadonlyArray<ServiceDescription> = [
      {
        name: "Emby Connect",
        kind: "EmbyConnect",
        url: connect.url,
        apiUrl: connect.serviceUrl,
        users: [
          { ...DEMO.connect.alice, note: `e-mail ${DEMO.connect.alice.email}; linked to Sandbox Emby` },
          { ...DEMO.connect.bob, note: `e-mail ${DEMO.connect.bob.email}; guest on Sandbox Emby` }
        ],
        apiKeys: []
      },
      yield* serverDescription(jellyfin, "Jellyfin", yield* jellyfin.legacy),
      yield* serverDescription(jellyfin12, "Jellyfin", yield* jellyfin12.legacy),
      yield* serverDescription(emby, "Emby", undefined)
    ]
    const discoveryLine = discovery === undefined
      ? []
      : [`Discovery (UDP)\n  address:   ${discovery.host}:${discovery.port}  (answers "who is JellyfinServer?" and "who is EmbyServer?")`]

    return {
      connect,
      jellyfin,
      jellyfin12,
      emby,
      discovery,
      services,
      description: [...services.map(describeService), ...discoveryLine].join("\n\n")
    } satisfies Sandbox
  })
