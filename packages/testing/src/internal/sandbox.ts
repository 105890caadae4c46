/**
 * The sandbox: fake servers as released — the personas `jellyfin-10.10`, `jellyfin-10.11`,
 * `jellyfin-12.0` and `emby-4.9` — with a fake Emby Connect service, demo users, API keys and Connect
 * links, started together on 127.0.0.1, plus one discovery responder answering for the servers.
 * What `mbauth sandbox` serves.
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
    jellyfin10: "f60718293a4b5c6d7e8f90a1b2c3d4e5",
    jellyfin: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    jellyfin12: "b2c3d4e5f60718293a4b5c6d7e8f90a1",
    emby: "c3d4e5f60718293a4b5c6d7e8f90a1b2"
  },
  accessKeys: { alice: "d4e5f60718293a4b5c6d7e8f90a1b2c3", bob: "e5f60718293a4b5c6d7e8f90a1b2c3d4" }
} as const

/** The servers as released, in the order the sandbox starts them. */
export const PERSONAS = ["jellyfin-10.10", "jellyfin-10.11", "jellyfin-12.0", "emby-4.9"] as const

/** A server as released. */
export type PersonaName = (typeof PERSONAS)[number]

export const isPersonaName = (name: string): name is PersonaName => (PERSONAS as ReadonlyArray<string>).includes(name)

/** One persona to run, with its knobs. */
export interface PersonaOptions {
  readonly persona: PersonaName
  /** Default 0 (a free port). */
  readonly port?: number | undefined
  /** `EnableLegacyAuthorization` (Jellyfin 10.11 and 12.0); default the release's (on, off). */
  readonly legacy?: boolean | undefined
  /** Quick Connect (Jellyfin); default on. */
  readonly quickConnect?: boolean | undefined
}

/** Ports to use; each defaults to 0 (a free port). */
export interface SandboxPorts {
  readonly connect?: number | undefined
  /** `jellyfin-10.10`. */
  readonly jellyfin10?: number | undefined
  /** `jellyfin-10.11`. */
  readonly jellyfin?: number | undefined
  /** `jellyfin-12.0`. */
  readonly jellyfin12?: number | undefined
  /** `emby-4.9`. */
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
  /** Knobs per persona (their ports come from `ports`). */
  readonly personas?: { readonly [P in PersonaName]?: Omit<PersonaOptions, "persona" | "port"> | undefined } | undefined
}

/** Options of {@link makePersonas}. */
export interface PersonasOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** The servers to run, in this order. */
  readonly personas: ReadonlyArray<PersonaName | PersonaOptions>
  /** The Emby Connect service's port (it runs when `emby-4.9` does); default 0. */
  readonly connectPort?: number | undefined
  /** The discovery responder's UDP port; absent: no responder. */
  readonly discoveryPort?: number | undefined
}

/**
 * One running service, described for people and scripts (the CLI prints this; `--json` prints it
 * as one JSON object a line — a documented contract, see the CLI's `docs/sandbox.md`).
 */
export interface ServiceDescription {
  readonly name: string
  readonly kind: "EmbyConnect" | "Jellyfin" | "Emby"
  /** The release this server behaves as. */
  readonly persona?: PersonaName | undefined
  /** What a user types. */
  readonly url: string
  /** Where the API lives (Connect: the client's base URL). */
  readonly apiUrl: string
  readonly profile?: string | undefined
  readonly version?: string | undefined
  readonly serverId?: string | undefined
  readonly legacy?: boolean | undefined
  readonly quickConnect?: boolean | undefined
  readonly users: ReadonlyArray<{ readonly name: string; readonly password: string; readonly note?: string | undefined }>
  readonly apiKeys: ReadonlyArray<{ readonly name: string; readonly key: string }>
}

/** A running persona. */
export interface PersonaServer {
  readonly persona: PersonaName
  readonly server: Jellyfin.FakeJellyfinServer | Emby.FakeEmbyServer
}

/** Running personas (what {@link makePersonas} starts). */
export interface Personas {
  /** Present when `emby-4.9` runs. */
  readonly connect: ConnectFake.FakeEmbyConnectService | undefined
  readonly servers: ReadonlyArray<PersonaServer>
  readonly discovery: Discovery.DiscoveryResponder | undefined
  readonly services: ReadonlyArray<ServiceDescription>
  /** The services as text, one block per service. */
  readonly description: string
}

/** The running sandbox: every persona. */
export interface Sandbox extends Personas {
  readonly connect: ConnectFake.FakeEmbyConnectService
  /** `jellyfin-10.10`. */
  readonly jellyfin10: Jellyfin.FakeJellyfinServer
  /** `jellyfin-10.11`. */
  readonly jellyfin: Jellyfin.FakeJellyfinServer
  /** `jellyfin-12.0` (legacy off unless `jellyfin12Legacy`). */
  readonly jellyfin12: Jellyfin.FakeJellyfinServer
  /** `emby-4.9`. */
  readonly emby: Emby.FakeEmbyServer
}

const describeService = (service: ServiceDescription): string => {
  const lines = [`${service.name}`, `  url:       ${service.url}`]
  if (service.apiUrl !== service.url) lines.push(`  api:       ${service.apiUrl}`)
  if (service.persona !== undefined) lines.push(`  persona:   ${service.persona}`)
  if (service.profile !== undefined) {
    const switches = [
      ...(service.legacy === undefined ? [] : [`legacy ${service.legacy ? "on" : "off"}`]),
      ...(service.quickConnect === undefined ? [] : [`Quick Connect ${service.quickConnect ? "on" : "off"}`])
    ]
    lines.push(`  profile:   ${service.profile}${switches.length === 0 ? "" : ` (${switches.join(", ")})`}`)
  }
  if (service.version !== undefined) lines.push(`  version:   ${service.version}`)
  if (service.serverId !== undefined) lines.push(`  server id: ${service.serverId}`)
  for (const user of service.users) {
    lines.push(`  user:      ${user.name} / ${user.password}${user.note === undefined ? "" : `  (${user.note})`}`)
  }
  for (const key of service.apiKeys) lines.push(`  api key:   ${key.key}  (${key.name})`)
  return lines.join("\n")
}

type StartError =
  | HttpServerError.ServeError
  | ConnectFake.FakeConnectError
  | Engine.FakeServerError
  | Discovery.DiscoveryResponderError

const JELLYFIN = {
  "jellyfin-10.10": { profile: "jellyfin-10.10", id: DEMO.serverIds.jellyfin10, name: "Sandbox Jellyfin 10.10" },
  "jellyfin-10.11": { profile: "jellyfin-10.11", id: DEMO.serverIds.jellyfin, name: "Sandbox Jellyfin 10.11" },
  "jellyfin-12.0": { profile: "jellyfin-12", id: DEMO.serverIds.jellyfin12, name: "Sandbox Jellyfin 12" }
} as const

const apiKeys = [DEMO.apiKey]

const startConnect = (host: string, port: number | undefined) =>
  ConnectFake.make({ host, port, users: [DEMO.connect.alice, DEMO.connect.bob] })

const startPersona = (
  host: string,
  options: PersonaOptions,
  connect: ConnectFake.FakeEmbyConnectService | undefined
): Effect.Effect<PersonaServer, StartError, Scope.Scope> =>
  Effect.gen(function*() {
    if (options.persona === "emby-4.9") {
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
        port: options.port
      })
      if (connect !== undefined) {
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
      }
      return { persona: options.persona, server: emby }
    }
    const release = JELLYFIN[options.persona]
    const jellyfin = yield* Jellyfin.make({
      profile: release.profile,
      legacy: options.legacy,
      quickConnect: options.quickConnect,
      id: release.id,
      serverName: release.name,
      users: [DEMO.users.alice, DEMO.users.bob],
      apiKeys,
      host,
      port: options.port
    })
    return { persona: options.persona, server: jellyfin }
  })

const describeServer = ({ persona, server }: PersonaServer): Effect.Effect<ServiceDescription> =>
  Effect.gen(function*() {
    const records = yield* server.users
    const hasLegacySwitch = server.profile === "jellyfin-10.11" || server.profile === "jellyfin-12"
    return {
      name: server.serverName,
      kind: server.product,
      persona,
      url: server.url,
      apiUrl: server.apiUrl,
      profile: server.profile,
      version: server.version,
      serverId: server.id,
      legacy: hasLegacySwitch ? yield* server.legacy : undefined,
      quickConnect: server.product === "Jellyfin" ? yield* (server as Jellyfin.FakeJellyfinServer).quickConnectEnabled : undefined,
      users: records.map((u) => {
        const notes = [
          ...(u.isAdministrator ? ["administrator"] : []),
          ...(u.connectUser === undefined ? [] : [`linked to Connect user ${u.connectUser}`])
        ]
        return { name: u.name, password: u.password, ...(notes.length === 0 ? {} : { note: notes.join("; ") }) }
      }),
      apiKeys
    }
  })

const describeConnect = (connect: ConnectFake.FakeEmbyConnectService): ServiceDescription => ({
  name: "Emby Connect",
  kind: "EmbyConnect",
  url: connect.url,
  apiUrl: connect.serviceUrl,
  users: [
    { ...DEMO.connect.alice, note: `e-mail ${DEMO.connect.alice.email}; linked to Sandbox Emby` },
    { ...DEMO.connect.bob, note: `e-mail ${DEMO.connect.bob.email}; guest on Sandbox Emby` }
  ],
  apiKeys: []
})

/** Starts the given personas (and Emby Connect when `emby-4.9` is among them) for the scope. */
export const makePersonas = (options: PersonasOptions): Effect.Effect<Personas, StartError, Scope.Scope> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const chosen = options.personas.map((p) => typeof p === "string" ? { persona: p } : p)
    const connect = chosen.some((p) => p.persona === "emby-4.9") ? yield* startConnect(host, options.connectPort) : undefined
    const servers: Array<PersonaServer> = []
    for (const persona of chosen) servers.push(yield* startPersona(host, persona, connect))
    const discovery = options.discoveryPort === undefined ? undefined : yield* Discovery.make({
      host,
      port: options.discoveryPort,
      entries: servers.map(({ server }) => ({
        product: server.product,
        address: server.url,
        id: server.id,
        name: server.serverName
      }))
    })
    const services = [
      ...(connect === undefined ? [] : [describeConnect(connect)]),
      ...(yield* Effect.forEach(servers, describeServer))
    ]
    const discoveryLine = discovery === undefined
      ? []
      : [`Discovery (UDP)\n  address:   ${discovery.host}:${discovery.port}  (answers "who is JellyfinServer?" and "who is EmbyServer?")`]
    return {
      connect,
      servers,
      discovery,
      services,
      description: [...services.map(describeService), ...discoveryLine].join("\n\n")
    }
  })

/** Starts the whole sandbox (every persona) for the scope. */
export const make = (options: SandboxOptions = {}): Effect.Effect<Sandbox, StartError, Scope.Scope> =>
  Effect.gen(function*() {
    const ports = options.ports ?? {}
    const knobs = options.personas ?? {}
    const port = { "jellyfin-10.10": ports.jellyfin10, "jellyfin-10.11": ports.jellyfin, "jellyfin-12.0": ports.jellyfin12, "emby-4.9": ports.emby }
    const running = yield* makePersonas({
      host: options.host,
      connectPort: ports.connect,
      discoveryPort: options.discovery === false ? undefined : ports.discovery ?? 0,
      personas: PERSONAS.map((persona) => ({
        ...knobs[persona],
        ...(persona === "jellyfin-12.0" && options.jellyfin12Legacy !== undefined ? { legacy: options.jellyfin12Legacy } : {}),
        persona,
        port: port[persona]
      }))
    })
    const server = <P extends PersonaName>(persona: P) => running.servers.find((s) => s.persona === persona)!.server
    return {
      ...running,
      connect: running.connect!,
      jellyfin10: server("jellyfin-10.10") as Jellyfin.FakeJellyfinServer,
      jellyfin: server("jellyfin-10.11") as Jellyfin.FakeJellyfinServer,
      jellyfin12: server("jellyfin-12.0") as Jellyfin.FakeJellyfinServer,
      emby: server("emby-4.9") as Emby.FakeEmbyServer
    }
  })
