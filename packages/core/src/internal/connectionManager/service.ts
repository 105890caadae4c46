/**
 * The connection manager service: reaching saved servers by whichever address answers first,
 * checking that it is the saved server, signing in and out per (server, user), Emby Connect, and
 * handing out signed clients.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as ConfigError from "effect/ConfigError"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ClientError from "../../ClientError.js"
import * as ClientInfo from "../../ClientInfo.js"
import * as ClientPolicy from "../../ClientPolicy.js"
import * as CredentialStore from "../../CredentialStore.js"
import * as DeviceId from "../../DeviceId.js"
import * as EmbyConnect from "../../EmbyConnect.js"
import * as MediaServer from "../../MediaServer.js"
import * as RequestSigning from "../../RequestSigning.js"
import * as ServerDiscovery from "../../ServerDiscovery.js"
import * as ServerPath from "../../ServerPath.js"
import * as TransportSafety from "../../TransportSafety.js"
import { sameId } from "../credentialStore/merge.js"
import type { Server } from "../credentialStore/schema.js"
import { type Candidate, knownAddresses, normalize, safeInput, savedCandidates, typedCandidates } from "./addresses.js"
import {
  type Attempt,
  ConnectUnavailable,
  InvalidAddress,
  NotSignedIn,
  ServerIdMismatch,
  ServerUnavailable,
  UnknownServer
} from "./errors.js"
import * as internalMediaUrl from "../mediaServer/mediaUrl.js"
import * as Health from "./health.js"
import * as Race from "./race.js"
import { type Connection, ConnectionState, type ConnectSignedIn, type SignOutResult, type User } from "./state.js"

type CredentialStoreError = CredentialStore.CredentialStoreError

/** Failing to reach a saved server. */
export type ReachError = ServerUnavailable | ServerIdMismatch | MediaServer.ServerUpdateNeeded

/** The SignedIn state. */
export type SignedIn = Extract<ConnectionState, { readonly _tag: "SignedIn" }>

/** Options of {@link make}. */
export interface Options {
  /** How addresses are probed. Default: a race with starts 100 ms apart. */
  readonly strategy?: Race.Strategy | undefined
  /** Per probe. Default 10 seconds (the reference clients use 8–20 s; racing makes long ones cheap). */
  readonly probeTimeout?: Duration.DurationInput | undefined
  /** Never use `http:` addresses (EJS `rejectInsecureAddresses`). */
  readonly secureOnly?: boolean | undefined
  /**
   * Give every user their own DeviceId, derived from this install id and the user name
   * (`DeviceId.derive`): Jellyfin keeps one token per (DeviceId, user) and one session entry per
   * DeviceId. Without it, every request carries the `ClientInfo` DeviceId.
   */
  readonly installId?: DeviceId.InstallId | undefined
  /**
   * Options of the LAN discovery `connect` runs when a `ServerDiscovery` is in context (default
   * timeout 1 second); `false` turns it off.
   */
  readonly discovery?: ServerDiscovery.Options | false | undefined
  /** Health: responses slower than this are `SlowResponse`. Default 3 seconds. */
  readonly slowAfter?: Duration.DurationInput | undefined
  /**
   * Send passwords over plain HTTP to public addresses too (`MediaServer` option of the same name;
   * see `TransportSafety`), and race the plain-HTTP addresses of a server known at an HTTPS one.
   * Default false: such a sign-in fails with `InsecureTransport`, and such addresses are skipped.
   */
  readonly allowInsecure?: boolean | undefined
}

/** The service. */
export interface Service {
  readonly connect: () => Effect.Effect<ConnectionState, ServerIdMismatch | CredentialStoreError>
  readonly connectToServer: (
    serverId: string,
    options?: { readonly userId?: string | undefined }
  ) => Effect.Effect<ConnectionState, ServerIdMismatch | UnknownServer | CredentialStoreError>
  readonly connectToAddress: (
    address: string,
    options?: { readonly userId?: string | undefined }
  ) => Effect.Effect<ConnectionState, InvalidAddress | CredentialStoreError>
  readonly availableServers: () => Effect.Effect<ReadonlyArray<Server>, CredentialStoreError>
  readonly connections: Effect.Effect<ReadonlyArray<Connection>>
  readonly signIn: (
    serverId: string,
    credentials: { readonly username: string; readonly password: Redacted.Redacted<string> }
  ) => Effect.Effect<SignedIn, ClientError.ClientError | ReachError | UnknownServer | CredentialStoreError>
  readonly signInWithQuickConnect: (
    serverId: string,
    options?: MediaServer.QuickConnectOptions
  ) => Stream.Stream<
    MediaServer.QuickConnectEvent,
    ClientError.ClientError | MediaServer.OperationUnavailable | ReachError | UnknownServer | CredentialStoreError
  >
  readonly signOut: (
    serverId: string,
    userId?: string
  ) => Effect.Effect<SignOutResult, NotSignedIn | UnknownServer | CredentialStoreError>
  readonly client: (
    serverId: string,
    userId?: string
  ) => Effect.Effect<
    HttpClient.HttpClient,
    NotSignedIn | UnknownServer | ReachError | RequestSigning.SigningError | CredentialStoreError
  >
  readonly mediaUrl: (
    serverId: string,
    path: string,
    options?: {
      readonly userId?: string | undefined
      readonly query?: Readonly<Record<string, string | number | boolean | undefined>> | undefined
    }
  ) => Effect.Effect<
    MediaServer.MediaUrl,
    NotSignedIn | UnknownServer | ReachError | CredentialStoreError | ConfigError.ConfigError
  >
  readonly health: (
    serverId: string
  ) => Effect.Effect<ReadonlyArray<Health.Report>, UnknownServer | CredentialStoreError>
  readonly connectSignIn: (credentials: {
    readonly nameOrEmail: string
    readonly password: Redacted.Redacted<string>
  }) => Effect.Effect<ConnectSignedIn, ClientError.ClientError | ConnectUnavailable | CredentialStoreError>
  readonly connectSignInWithPin: (
    options: EmbyConnect.PinSignInOptions
  ) => Stream.Stream<EmbyConnect.PinEvent, ClientError.ClientError | ConnectUnavailable | CredentialStoreError>
  readonly refreshConnectServers: () => Effect.Effect<
    ReadonlyArray<Server>,
    ClientError.ClientError | ConnectUnavailable | CredentialStoreError
  >
  readonly connectSignOut: () => Effect.Effect<
    { readonly revoked: boolean; readonly error: ClientError.ClientError | undefined },
    CredentialStoreError
  >
}

/**
 * `MediaServer.probe`, tried a second time at once when the connection failed: a keep-alive
 * connection kept from before the server restarted fails on first use ("other side closed"), and
 * a fresh connection is all it takes. Timeouts are not repeated (racing covers slow addresses).
 */
const probeOnce = (address: string, timeout: Duration.Duration) =>
  MediaServer.probe(address, { timeout }).pipe(
    Effect.retry({ times: 1, while: (error) => error._tag === "ServerUnreachable" })
  )

/** Probes one candidate, checking the ServerId when one is expected. */
export const probeCandidate = (expectedId: string | undefined, timeout: Duration.Duration) =>
(
  candidate: Candidate
): Effect.Effect<MediaServer.PublicInfo, ClientError.ClientError | ServerIdMismatch, HttpClient.HttpClient> =>
  Effect.flatMap(probeOnce(candidate.address, timeout), (info) =>
    expectedId !== undefined && !sameId(info.id, expectedId)
      ? Effect.fail(
        new ServerIdMismatch({ expected: expectedId, actual: info.id, address: candidate.address, serverName: info.serverName })
      )
      : Effect.succeed(info))

const toAttempt = (lost: Race.Lost<ClientError.ClientError | ServerIdMismatch>): Attempt => ({
  address: lost.candidate.address,
  mode: lost.candidate.mode,
  error: lost.error
})

/** A reached server before its profile is known. */
export interface Reached {
  readonly info: MediaServer.PublicInfo
  readonly candidate: Candidate
  readonly responseTime: Duration.Duration
  readonly failedAttempts: ReadonlyArray<Attempt>
}

/**
 * Probes candidates by the strategy. Fails with every attempt when none answers as the expected
 * server.
 */
export const reach = (
  candidates: ReadonlyArray<Candidate>,
  options: {
    readonly expectedId?: string | undefined
    readonly timeout: Duration.Duration
    readonly strategy: Race.Strategy
    /** Where the losing probes are left (`Race.reach`); default: interrupted once the race is decided. */
    readonly scope?: Scope.Scope | undefined
  }
): Effect.Effect<Reached, ReadonlyArray<Attempt>, HttpClient.HttpClient> =>
  Race.reach(candidates, probeCandidate(options.expectedId, options.timeout), options.strategy, options.scope).pipe(
    Effect.map((won) => ({
      info: won.value,
      candidate: won.candidate,
      responseTime: won.responseTime,
      failedAttempts: won.lost.map(toAttempt)
    })),
    Effect.mapError((lost) => lost.map(toAttempt))
  )

const firstMismatch = (attempts: ReadonlyArray<Attempt>): ServerIdMismatch | undefined =>
  attempts.map((a) => a.error).find((e): e is ServerIdMismatch => e._tag === "ServerIdMismatch")

/** Probes every address concurrently and reports the health of each, in the order given. */
export const checkHealth = (
  addresses: ReadonlyArray<string>,
  options: Health.AssessOptions & { readonly timeout: Duration.Duration }
): Effect.Effect<ReadonlyArray<Health.Report>, never, HttpClient.HttpClient> =>
  Effect.forEach(
    addresses,
    (address) =>
      Effect.map(
        Effect.timed(Effect.either(probeOnce(address, options.timeout))),
        ([elapsed, outcome]) => Health.assess(address, outcome, elapsed, options)
      ),
    { concurrency: "unbounded" }
  )

const storeErrorTags: ReadonlySet<string> = new Set([
  "CorruptCredentialFile",
  "ForeignCredentialFile",
  "CredentialFileUnreadable",
  "CredentialFileUnwritable",
  "LockTimeout",
  "UnsupportedSchemaVersion"
])

const isStoreError = <E extends { readonly _tag: string }>(error: E): error is Extract<E, CredentialStoreError> =>
  storeErrorTags.has(error._tag)

/** The API base of a connection: Emby's API lives under `/emby`. */
const apiBase = (connection: Connection): string => {
  const base = connection.address.replace(/\/+$/, "")
  return connection.profile === "emby" && !/\/(emby|mediabrowser)$/i.test(base) ? `${base}/emby/` : `${base}/`
}

const usersOf = (server: Server): ReadonlyArray<User> =>
  Object.values(server.users).map((u) => ({ id: u.id, name: u.name }))

/** The user to act for: the one asked for, else the last one with a token, else any with a token. */
const pickUser = (server: Server, userId: string | undefined) => {
  const users = Object.values(server.users)
  if (userId !== undefined) return users.find((u) => sameId(u.id, userId))
  const last = server.lastUserId === undefined ? undefined : users.find((u) => sameId(u.id, server.lastUserId!))
  if (last?.accessToken !== undefined) return last
  return users.find((u) => u.accessToken !== undefined) ?? last
}

/** Builds the service. */
export const make = (
  options: Options = {}
): Effect.Effect<
  Service,
  never,
  CredentialStore.CredentialStore | HttpClient.HttpClient | ClientInfo.ClientInfo
> =>
  Effect.gen(function*() {
    const store = yield* CredentialStore.CredentialStore
    const httpClient = yield* HttpClient.HttpClient
    const baseInfo = yield* ClientInfo.ClientInfo
    const connectClient = yield* Effect.serviceOption(EmbyConnect.EmbyConnect)
    const discovery = yield* Effect.serviceOption(ServerDiscovery.ServerDiscovery)
    // Captured once, so every probe and server call uses the program's HTTP client and policy
    // whichever fiber calls the service.
    const policy = yield* ClientPolicy.ClientPolicy
    const context = Context.make(HttpClient.HttpClient, httpClient).pipe(Context.add(ClientPolicy.ClientPolicy, policy))
    const strategy = options.strategy ?? Race.defaultStrategy
    const probeTimeout = Duration.decode(options.probeTimeout ?? Duration.seconds(10))
    // A server given (or last reached) over https is raced over https only: its plain-HTTP
    // addresses would carry the token, the password or the AccessKey in clear.
    const candidatesOf = (server: Server) =>
      savedCandidates(server, {
        secureOnly: options.secureOnly === true ||
          (options.allowInsecure !== true && TransportSafety.requiresHttps(knownAddresses(server)))
      })
    const healthOptions = {
      timeout: probeTimeout,
      slowAfter: Duration.decode(options.slowAfter ?? Duration.seconds(3)),
      currentVersions: Health.defaultCurrentVersions
    }
    const connections = yield* Ref.make(new Map<string, Connection>())
    const key = (serverId: string) => serverId.toLowerCase()

    const withHttp = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>): Effect.Effect<A, E> =>
      Effect.provide(effect, context)

    // ---------------------------------------------------------------------------------------
    // Identity and per-server clients
    // ---------------------------------------------------------------------------------------

    const clientInfoFor = (userName: string | undefined): Effect.Effect<ClientInfo.ClientInfo> =>
      options.installId === undefined || userName === undefined || userName.trim() === ""
        ? Effect.succeed(baseInfo)
        : Effect.map(DeviceId.derive(options.installId, userName), (id) => ClientInfo.withDeviceId(baseInfo, id))

    // The address and profile come from a successful probe and the identity from a validated
    // ClientInfo, so `make` cannot really fail; if it does, the request was not sent.
    const serverApi = (connection: Connection, userName: string | undefined) =>
      Effect.flatMap(clientInfoFor(userName), (clientInfo) =>
        withHttp(MediaServer.make({
          address: connection.address,
          profile: connection.profile,
          clientInfo,
          allowInsecure: options.allowInsecure
        })).pipe(
          Effect.mapError((error) =>
            new ClientError.ServerUnreachable({
              service: `${connection.product} server`,
              address: connection.address,
              cause: `request not sent: ${error._tag === "InvalidClientInfo" ? error.message : "invalid address"}`
            })
          )
        ))

    // ---------------------------------------------------------------------------------------
    // Reaching servers
    // ---------------------------------------------------------------------------------------

    const getServer = (serverId: string) =>
      Effect.flatMap(store.getServer(serverId), Option.match({
        onNone: () => Effect.fail(new UnknownServer({ serverId })),
        onSome: Effect.succeed
      }))

    /** Remembers a reached server and saves what it told about itself. */
    const remember = (reached: Reached, profile: Connection["profile"]) =>
      Effect.gen(function*() {
        const { candidate, info } = reached
        const connection: Connection = {
          serverId: info.id,
          serverName: info.serverName,
          product: info.product,
          version: info.version,
          address: candidate.address,
          mode: candidate.mode,
          profile,
          responseTime: reached.responseTime,
          failedAttempts: reached.failedAttempts
        }
        const saved = yield* store.getServer(info.id)
        const addresses: Server["addresses"] = Option.match(saved, { onNone: () => ({}), onSome: (s) => s.addresses })
        // What the server says about its own addresses is often wrong (a Docker bridge, another
        // network card): it only fills gaps, and never replaces an address that is known to work.
        const reportedLocal = info.localAddress === undefined ? undefined : Either.getOrUndefined(normalize(info.localAddress))
        const reportedRemote = info.remoteAddresses.map((a) => Either.getOrUndefined(normalize(a))).find((a) => a !== undefined)
        const now = yield* DateTime.now
        yield* store.upsertServer({
          id: info.id,
          name: info.serverName,
          product: info.product,
          version: info.version,
          addresses: {
            local: candidate.mode === "Local" ? candidate.address : addresses.local === undefined ? reportedLocal : undefined,
            remote: candidate.mode === "Remote" ? candidate.address : addresses.remote === undefined ? reportedRemote : undefined,
            manual: candidate.mode === "Manual" ? candidate.address : undefined
          },
          lastConnectionMode: candidate.mode,
          lastAccessed: now
        })
        yield* Ref.update(connections, (m) => new Map(m).set(key(info.id), connection))
        return connection
      })

    /** Reaches a saved server (or reuses this session's connection). */
    const ensureConnection = (server: Server) =>
      Effect.gen(function*() {
        const serverId = server.id
        const cached = (yield* Ref.get(connections)).get(key(serverId))
        if (cached !== undefined) return cached
        const reached = yield* reach(candidatesOf(server), {
          expectedId: server.id,
          timeout: probeTimeout,
          strategy
        }).pipe(
          withHttp,
          Effect.mapError((attempts) => firstMismatch(attempts) ?? new ServerUnavailable({ serverId, attempts }))
        )
        const profile = yield* MediaServer.detectProfile(reached.info)
        return yield* remember(reached, profile)
      })

    // ---------------------------------------------------------------------------------------
    // After reaching a server: exchange, token check
    // ---------------------------------------------------------------------------------------

    const signedIn = (connection: Connection, user: MediaServer.User, via: SignedIn["via"]) =>
      ConnectionState.SignedIn({ connection, user: { id: user.id, name: user.name }, via }) as SignedIn

    const afterReach = (connection: Connection, userId: string | undefined) =>
      Effect.gen(function*() {
        const credentials = yield* store.get
        const server = Option.getOrUndefined(CredentialStore.findServer(credentials, connection.serverId))
        if (server === undefined) return yield* new UnknownServer({ serverId: connection.serverId })
        let exchangeError: ClientError.ClientError | MediaServer.OperationUnavailable | undefined

        // Connect-linked: exchange the AccessKey for a token on every connect (the key persists,
        // the token it gives is a fresh session of this device).
        const accessKey = server.connect?.accessKey
        const linked = credentials.connect !== undefined && accessKey !== undefined && connection.product === "Emby"
        if (linked && userId === undefined) {
          const exchanged = yield* Effect.either(exchange(connection, credentials.connect!.userId, accessKey!))
          if (Either.isRight(exchanged)) return exchanged.right
          if (isStoreError(exchanged.left)) return yield* Effect.fail(exchanged.left)
          exchangeError = exchanged.left
          yield* Effect.logWarning("ConnectionManager: the Emby Connect exchange failed").pipe(
            Effect.annotateLogs({ serverId: connection.serverId, error: exchanged.left.message })
          )
        }

        const user = pickUser(server, userId)
        const signInNeeded = (
          reason: "NoToken" | "TokenRevoked" | "ExchangeFailed",
          error: ClientError.ClientError | MediaServer.OperationUnavailable | undefined
        ) =>
          Effect.map(store.getServer(connection.serverId), (s) =>
            ConnectionState.ServerSignIn({
              connection,
              reason,
              users: Option.match(s, { onNone: () => [], onSome: usersOf }),
              error
            }))
        if (user?.accessToken === undefined) {
          return yield* signInNeeded(exchangeError === undefined ? "NoToken" : "ExchangeFailed", exchangeError)
        }
        const api = yield* Effect.either(serverApi(connection, user.name))
        const checked = Either.isLeft(api)
          ? Either.left(api.left)
          : yield* Effect.either(api.right.currentUser({ accessToken: user.accessToken }))
        if (Either.isRight(checked)) {
          yield* store.setUser(connection.serverId, { id: checked.right.id, name: checked.right.name })
          return signedIn(connection, checked.right, "Token")
        }
        if (checked.left._tag === "Unauthorized") {
          // The server no longer knows the token: forget that token only (explicitly), keep the user.
          yield* store.clearUserToken(connection.serverId, user.id)
          return yield* signInNeeded("TokenRevoked", checked.left)
        }
        // The server answered the probe but not the check: keep the token, report the failure.
        return ConnectionState.Unavailable({
          serverId: connection.serverId,
          attempts: [{ address: connection.address, mode: connection.mode, error: checked.left }]
        })
      })

    const exchange = (connection: Connection, connectUserId: string, accessKey: Redacted.Redacted<string>) =>
      Effect.gen(function*() {
        const api = yield* serverApi(connection, undefined)
        const result = yield* api.exchange({ connectUserId, accessKey })
        const user = yield* api.currentUser({ accessToken: result.accessToken })
        yield* store.setUser(connection.serverId, { id: user.id, name: user.name, accessToken: result.accessToken })
        return signedIn(connection, user, "ConnectExchange")
      })

    const connectReached = (reached: Reached, userId: string | undefined) =>
      Effect.gen(function*() {
        const profile = MediaServer.detectProfile(reached.info)
        if (Either.isLeft(profile)) {
          return ConnectionState.ServerUpdateNeeded({
            serverId: reached.info.id,
            address: reached.candidate.address,
            error: profile.left
          })
        }
        const connection = yield* remember(reached, profile.right)
        return yield* afterReach(connection, userId)
      })

    const connectToServer: Service["connectToServer"] = Effect.fn("ConnectionManager.connectToServer")(
      function*(serverId, connectOptions) {
        const server = yield* getServer(serverId)
        const attempt = yield* Effect.either(withHttp(reach(candidatesOf(server), {
          expectedId: server.id,
          timeout: probeTimeout,
          strategy,
          scope: yield* Effect.scope
        })))
        if (Either.isLeft(attempt)) {
          const mismatch = firstMismatch(attempt.left)
          if (mismatch !== undefined) return yield* mismatch
          yield* Ref.update(connections, (m) => {
            const next = new Map(m)
            next.delete(key(server.id))
            return next
          })
          return ConnectionState.Unavailable({ serverId: server.id, attempts: attempt.left })
        }
        return yield* connectReached(attempt.right, connectOptions?.userId)
      },
      // The probes that lost the race are interrupted once the state is known, in the background:
      // aborting a request stuck on a dead address takes CPU the token check should not wait for.
      Race.releasingScoped
    )

    const connectToAddress: Service["connectToAddress"] = Effect.fn("ConnectionManager.connectToAddress")(
      function*(address, connectOptions) {
        const candidates = typedCandidates(address)
        if (Either.isLeft(candidates)) {
          return yield* new InvalidAddress({ input: safeInput(address), reason: candidates.left })
        }
        const list = candidates.right
          .filter((a) => options.secureOnly !== true || a.startsWith("https:"))
          .map((a): Candidate => ({ address: a, mode: "Manual" }))
        const attempt = yield* Effect.either(withHttp(reach(list, { timeout: probeTimeout, strategy, scope: yield* Effect.scope })))
        if (Either.isLeft(attempt)) return ConnectionState.Unavailable({ serverId: undefined, attempts: attempt.left })
        return yield* connectReached(attempt.right, connectOptions?.userId).pipe(
          Effect.catchTag("UnknownServer", () =>
            Effect.succeed(ConnectionState.Unavailable({ serverId: attempt.right.info.id, attempts: [] })))
        )
      },
      Race.releasingScoped
    )

    // ---------------------------------------------------------------------------------------
    // Server list: saved, discovered, Connect
    // ---------------------------------------------------------------------------------------

    const connectIdentity = Effect.map(store.get, (c) => c.connect)

    const toServerUpdate = (server: EmbyConnect.ConnectServer): CredentialStore.ServerUpdate => {
      const local = server.localAddress === undefined ? undefined : Either.getOrUndefined(normalize(server.localAddress))
      const remote = server.remoteAddress === undefined ? undefined : Either.getOrUndefined(normalize(server.remoteAddress))
      return {
        id: server.serverId,
        name: server.name,
        product: "Emby",
        addresses: { local, remote },
        connect: { serverId: server.connectServerId, accessKey: server.accessKey }
      }
    }

    const refreshWith = (connect: EmbyConnect.Service, identity: EmbyConnect.ConnectCredentials) =>
      Effect.gen(function*() {
        const list = yield* connect.servers(identity)
        // Only a list from a successful call may unlink servers that are no longer in it.
        yield* store.reconcileConnectServers(list.map(toServerUpdate), { removeMissing: true })
        return yield* store.listServers
      })

    const requireConnect = Option.match(connectClient, {
      onNone: () => Effect.fail(new ConnectUnavailable({ reason: "NoClient" })),
      onSome: Effect.succeed
    })

    const refreshConnectServers: Service["refreshConnectServers"] = Effect.fn("ConnectionManager.refreshConnectServers")(
      function*() {
        const connect = yield* requireConnect
        const identity = yield* connectIdentity
        if (identity === undefined) return yield* new ConnectUnavailable({ reason: "NotSignedIn" })
        return yield* refreshWith(connect, identity)
      }
    )

    const availableServers: Service["availableServers"] = Effect.fn("ConnectionManager.availableServers")(function*() {
      const identity = yield* connectIdentity
      const fromConnect = Option.isSome(connectClient) && identity !== undefined
        ? Effect.either(refreshWith(connectClient.value, identity)).pipe(
          Effect.tap((result) =>
            Either.isLeft(result)
              ? Effect.logWarning("ConnectionManager: Emby Connect's server list could not be read; saved servers kept")
                .pipe(Effect.annotateLogs({ error: result.left.message }))
              : Effect.void
          )
        )
        : Effect.void
      const fromLan = Option.isSome(discovery) && options.discovery !== false
        ? discovery.value.discover(options.discovery).pipe(
          Effect.catchAll((error) =>
            Effect.as(
              Effect.logDebug("ConnectionManager: LAN discovery failed").pipe(Effect.annotateLogs({ error: error.message })),
              []
            )
          )
        )
        : Effect.succeed([])
      const [, found] = yield* Effect.all([fromConnect, fromLan], { concurrency: 2 })
      for (const server of found) {
        // The address rebuilt from the reply's source is the one known to reach the server.
        yield* store.upsertServer({
          id: server.id,
          name: server.name,
          product: server.product,
          addresses: { local: server.address }
        })
      }
      return yield* store.listServers
    })

    const connect: Service["connect"] = Effect.fn("ConnectionManager.connect")(function*() {
      const servers = yield* availableServers()
      if (servers.length === 0) {
        const identity = yield* connectIdentity
        return Option.isSome(connectClient) && identity === undefined
          ? ConnectionState.ConnectSignIn()
          : ConnectionState.ServerSelection({ servers })
      }
      const state = yield* connectToServer(servers[0]!.id).pipe(
        Effect.catchTag("UnknownServer", () => Effect.succeed(ConnectionState.ServerSelection({ servers })))
      )
      // The most recent server being away is no reason to stop: let the user pick another.
      return state._tag === "Unavailable" ? ConnectionState.ServerSelection({ servers }) : state
    })

    // ---------------------------------------------------------------------------------------
    // Sign-in and sign-out per (server, user)
    // ---------------------------------------------------------------------------------------

    const checkServerId = (connection: Connection, answered: string) =>
      answered !== "" && !sameId(answered, connection.serverId)
        ? Effect.fail(
          new ServerIdMismatch({
            expected: connection.serverId,
            actual: answered,
            address: connection.address,
            serverName: connection.serverName
          })
        )
        : Effect.void

    // Without per-user DeviceIds every user signs in as the ClientInfo's one device.
    const warnSharedDeviceId = (connection: Connection, user: MediaServer.User) =>
      options.installId !== undefined ? Effect.void : Effect.flatMap(store.getServer(connection.serverId), (saved) =>
        DeviceId.warnIfShared({
          serverName: connection.serverName,
          deviceId: baseInfo.deviceId,
          userName: user.name,
          otherUsers: Option.match(saved, {
            onNone: () => [],
            onSome: (server) =>
              Object.values(server.users)
                .filter((u) => u.accessToken !== undefined && !sameId(u.id, user.id))
                .map((u) => u.name ?? u.id)
          })
        }))

    const saveSignIn = (connection: Connection, result: MediaServer.SignIn) =>
      Effect.zipRight(
        Effect.zipRight(
          warnSharedDeviceId(connection, result.user),
          store.setUser(connection.serverId, { id: result.user.id, name: result.user.name, accessToken: result.accessToken })
        ),
        Effect.succeed(result.user)
      )

    const signIn: Service["signIn"] = Effect.fn("ConnectionManager.signIn")(function*(serverId, credentials) {
      const connection = yield* ensureConnection(yield* getServer(serverId))
      const api = yield* serverApi(connection, credentials.username)
      const result = yield* api.authenticateByName(credentials)
      yield* checkServerId(connection, result.serverId)
      const user = yield* saveSignIn(connection, result)
      return signedIn(connection, user, "Password")
    })

    const signInWithQuickConnect: Service["signInWithQuickConnect"] = (serverId, quickOptions) =>
      Stream.unwrap(Effect.gen(function*() {
        const connection = yield* ensureConnection(yield* getServer(serverId))
        // The user is not known before the sign-in: the shared DeviceId it is.
        const api = yield* serverApi(connection, undefined)
        return api.quickConnect(quickOptions).pipe(
          Stream.tap((event) =>
            event._tag === "SignedIn"
              ? Effect.zipRight(checkServerId(connection, event.signIn.serverId), saveSignIn(connection, event.signIn))
              : Effect.void
          )
        )
      }))

    const signOut: Service["signOut"] = Effect.fn("ConnectionManager.signOut")(function*(serverId, userId) {
      const server = yield* getServer(serverId)
      const user = pickUser(server, userId)
      if (user === undefined) return yield* new NotSignedIn({ serverId, ...(userId === undefined ? {} : { userId }) })
      const token = user.accessToken
      const clear = store.clearUserToken(server.id, user.id)
      if (token === undefined) {
        return { serverId: server.id, userId: user.id, revoked: false, error: undefined } satisfies SignOutResult
      }
      const revoke = Effect.gen(function*() {
        const connection = yield* ensureConnection(server)
        const api = yield* serverApi(connection, user.name)
        yield* api.logout({ accessToken: token })
      })
      // The token is forgotten here even when the server cannot be told, or the caller gives up.
      const outcome = yield* Effect.either(revoke).pipe(Effect.onInterrupt(() => Effect.ignore(clear)))
      yield* clear
      if (Either.isLeft(outcome) && isStoreError(outcome.left)) return yield* Effect.fail(outcome.left)
      return {
        serverId: server.id,
        userId: user.id,
        revoked: Either.isRight(outcome),
        error: Either.isLeft(outcome) && !isStoreError(outcome.left) ? outcome.left : undefined
      } satisfies SignOutResult
    })

    const client: Service["client"] = Effect.fn("ConnectionManager.client")(function*(serverId, userId) {
      const server = yield* getServer(serverId)
      const user = pickUser(server, userId)
      if (user?.accessToken === undefined) {
        return yield* new NotSignedIn({ serverId, ...(userId === undefined ? {} : { userId }) })
      }
      const connection = yield* ensureConnection(server)
      const clientInfo = yield* clientInfoFor(user.name)
      const signer = yield* RequestSigning.make({ profile: connection.profile, clientInfo, token: user.accessToken })
      const base = apiBase(connection)
      // The token goes only to the server's origin, whatever URL the caller builds.
      return signer.signClient(httpClient).pipe(
        HttpClient.mapRequestEffect((request) =>
          Either.match(ServerPath.resolve(base, request.url), {
            onLeft: (refused) =>
              Effect.fail(
                new HttpClientError.RequestError({ request, reason: "InvalidUrl", description: refused.message })
              ),
            onRight: (url) => Effect.succeed(HttpClientRequest.setUrl(request, url.href))
          })
        )
      )
    })

    const mediaUrl: Service["mediaUrl"] = Effect.fn("ConnectionManager.mediaUrl")(function*(serverId, path, urlOptions) {
      const server = yield* getServer(serverId)
      const user = pickUser(server, urlOptions?.userId)
      if (user?.accessToken === undefined) {
        return yield* new NotSignedIn({ serverId, ...(urlOptions?.userId === undefined ? {} : { userId: urlOptions.userId }) })
      }
      const connection = yield* ensureConnection(server)
      const url = internalMediaUrl.make({
        baseUrl: apiBase(connection),
        profile: connection.profile,
        token: user.accessToken,
        path,
        query: urlOptions?.query
      })
      return yield* Either.isLeft(url) ? Effect.fail(ConfigError.InvalidData(["path"], url.left)) : Effect.succeed(url.right)
    })

    const health: Service["health"] = Effect.fn("ConnectionManager.health")(function*(serverId) {
      const server = yield* getServer(serverId)
      return yield* withHttp(checkHealth(savedCandidates(server).map((c) => c.address), healthOptions))
    })

    // ---------------------------------------------------------------------------------------
    // Emby Connect
    // ---------------------------------------------------------------------------------------

    const afterConnectSignIn = (connect: EmbyConnect.Service, identity: EmbyConnect.ConnectCredentials) =>
      Effect.gen(function*() {
        yield* store.setConnect({ userId: identity.userId, accessToken: identity.accessToken })
        const refreshed = yield* Effect.either(refreshWith(connect, identity))
        if (Either.isLeft(refreshed) && isStoreError(refreshed.left)) return yield* Effect.fail(refreshed.left)
        return {
          userId: identity.userId,
          servers: Either.isRight(refreshed) ? refreshed.right : yield* store.listServers,
          serversError: Either.isLeft(refreshed) && !isStoreError(refreshed.left) ? refreshed.left : undefined
        } satisfies ConnectSignedIn
      })

    const connectSignIn: Service["connectSignIn"] = Effect.fn("ConnectionManager.connectSignIn")(function*(credentials) {
      const connect = yield* requireConnect
      const session = yield* connect.authenticate(credentials)
      return yield* afterConnectSignIn(connect, session)
    })

    const connectSignInWithPin: Service["connectSignInWithPin"] = (pinOptions) =>
      Stream.unwrap(Effect.map(requireConnect, (connect) =>
        connect.signInWithPin(pinOptions).pipe(
          Stream.tap((event) => event._tag === "SignedIn" ? afterConnectSignIn(connect, event.credentials) : Effect.void)
        )))

    const connectSignOut: Service["connectSignOut"] = Effect.fn("ConnectionManager.connectSignOut")(function*() {
      const identity = yield* connectIdentity
      let error: ClientError.ClientError | undefined
      if (identity !== undefined && Option.isSome(connectClient)) {
        const result = yield* Effect.either(connectClient.value.logout(identity)).pipe(
          Effect.onInterrupt(() => Effect.ignore(store.clearConnect))
        )
        if (Either.isLeft(result)) error = result.left
      }
      yield* store.clearConnect
      return { revoked: identity !== undefined && error === undefined && Option.isSome(connectClient), error }
    })

    return {
      connect,
      connectToServer,
      connectToAddress,
      availableServers,
      connections: Effect.map(Ref.get(connections), (m) => Array.from(m.values())),
      signIn,
      signInWithQuickConnect,
      signOut,
      client,
      mediaUrl,
      health,
      connectSignIn,
      connectSignInWithPin,
      refreshConnectServers,
      connectSignOut
    } satisfies Service
  })
