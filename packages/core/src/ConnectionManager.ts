/**
 * The multi-server connection manager: one place that remembers every server by its ServerId,
 * reaches it by whichever address answers first, signs users in and out per (server, user), and
 * hands out `HttpClient`s signed for a server and a user.
 *
 * - Addresses: what a user typed becomes the scheme/port variants `@jellyfin/sdk` tries (https
 *   first, 8096, 8920); a saved server is tried at its local, manual and remote addresses.
 * - Racing, not waiting: candidates are probed (`/System/Info/Public`) concurrently with staggered
 *   starts; the first good answer wins and the rest are interrupted; each probe has its own timeout.
 *   A dead address that never answers delays the others by the stagger only. The sequential
 *   strategy of the older clients is available for comparison.
 * - The ServerId answered must be the saved one: a mismatch is a typed {@link ServerIdMismatch} and
 *   never overwrites saved credentials. Product and version pick the signing profile; a too old
 *   server gives the `ServerUpdateNeeded` state.
 * - After reaching a server: a Connect-linked server's AccessKey is exchanged for a token on every
 *   connect; a saved token is checked (`/Users/Me`); the result is a {@link ConnectionState}.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as ClientInfo from "./ClientInfo.js"
import type * as CredentialStore from "./CredentialStore.js"
import * as addresses from "./internal/connectionManager/addresses.js"
import * as errors from "./internal/connectionManager/errors.js"
import * as health from "./internal/connectionManager/health.js"
import * as race from "./internal/connectionManager/race.js"
import * as internal from "./internal/connectionManager/service.js"
import * as state from "./internal/connectionManager/state.js"

// -----------------------------------------------------------------------------
// States
// -----------------------------------------------------------------------------

/**
 * The result of connecting, for a UI to switch on:
 * - `SignedIn { connection, user, via }`: `client(serverId, user.id)` gives a signed client;
 *   `via` is `"Token"` (a saved token, checked now), `"ConnectExchange"` or `"Password"`;
 * - `ServerSignIn { connection, reason, users, error }`: reached, a user must sign in; `reason` is
 *   `"NoToken"`, `"TokenRevoked"` (the rejected token was cleared) or `"ExchangeFailed"`;
 * - `ConnectSignIn {}`: nothing saved and Emby Connect available: offer Connect sign-in;
 * - `ServerSelection { servers }`: let the user pick a server or type an address;
 * - `Unavailable { serverId, attempts }`: no address answered;
 * - `ServerUpdateNeeded { serverId, address, error }`: the server is too old.
 *
 * @example
 * ```ts
 * import * as ConnectionManager from "@mbauth/core/ConnectionManager"
 *
 * const describe = ConnectionManager.ConnectionState.$match({
 *   SignedIn: ({ connection, user }) => `${user.name} on ${connection.serverName}`,
 *   ServerSignIn: ({ connection }) => `sign in to ${connection.serverName}`,
 *   ConnectSignIn: () => "sign in to Emby Connect",
 *   ServerSelection: ({ servers }) => `pick one of ${servers.length} servers`,
 *   Unavailable: ({ attempts }) => `unreachable (${attempts.length} addresses tried)`,
 *   ServerUpdateNeeded: ({ error }) => error.message
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionState = state.ConnectionState

/**
 * Constructors, guards (`$is`) and matchers (`$match`) of {@link ConnectionState}.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectionState: typeof state.ConnectionState = state.ConnectionState

/**
 * The `SignedIn` state.
 *
 * @since 0.1.0
 * @category models
 */
export type SignedIn = internal.SignedIn

/**
 * A server reached in this session: its Id, name, product, version, the address that answered,
 * which saved address that is (`mode`), the signing profile, the winning probe's response time and
 * the addresses that failed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Connection extends state.Connection {}

/**
 * A user of a server (`name` when known).
 *
 * @since 0.1.0
 * @category models
 */
export interface User extends state.User {}

/**
 * Why a reached server needs a sign-in.
 *
 * @since 0.1.0
 * @category models
 */
export type SignInReason = state.SignInReason

/**
 * The result of {@link Service.signOut}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignOutResult extends state.SignOutResult {}

/**
 * The result of an Emby Connect sign-in.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectSignedIn extends state.ConnectSignedIn {}

// -----------------------------------------------------------------------------
// Errors
// -----------------------------------------------------------------------------

/**
 * The server at an address is not the saved server (another server now lives there, or it was
 * reinstalled). Saved credentials are never overwritten because of it.
 *
 * @since 0.1.0
 * @category errors
 */
export const ServerIdMismatch: typeof errors.ServerIdMismatch = errors.ServerIdMismatch

/**
 * @since 0.1.0
 * @category errors
 */
export type ServerIdMismatch = errors.ServerIdMismatch

/**
 * Typed text is not an http(s) server address.
 *
 * @since 0.1.0
 * @category errors
 */
export const InvalidAddress: typeof errors.InvalidAddress = errors.InvalidAddress

/**
 * @since 0.1.0
 * @category errors
 */
export type InvalidAddress = errors.InvalidAddress

/**
 * No server with this Id is saved.
 *
 * @since 0.1.0
 * @category errors
 */
export const UnknownServer: typeof errors.UnknownServer = errors.UnknownServer

/**
 * @since 0.1.0
 * @category errors
 */
export type UnknownServer = errors.UnknownServer

/**
 * No token for the server (and user): sign in first.
 *
 * @since 0.1.0
 * @category errors
 */
export const NotSignedIn: typeof errors.NotSignedIn = errors.NotSignedIn

/**
 * @since 0.1.0
 * @category errors
 */
export type NotSignedIn = errors.NotSignedIn

/**
 * No address of a saved server answered (`attempts` says why each failed).
 *
 * @since 0.1.0
 * @category errors
 */
export const ServerUnavailable: typeof errors.ServerUnavailable = errors.ServerUnavailable

/**
 * @since 0.1.0
 * @category errors
 */
export type ServerUnavailable = errors.ServerUnavailable

/**
 * Emby Connect is not set up (no `EmbyConnect` in context) or not signed in.
 *
 * @since 0.1.0
 * @category errors
 */
export const ConnectUnavailable: typeof errors.ConnectUnavailable = errors.ConnectUnavailable

/**
 * @since 0.1.0
 * @category errors
 */
export type ConnectUnavailable = errors.ConnectUnavailable

/**
 * One address that did not lead to the server: `address`, `mode`, and the `error`
 * (a `ClientError` or a `ServerIdMismatch`).
 *
 * @since 0.1.0
 * @category models
 */
export const Attempt: typeof errors.Attempt = errors.Attempt

/**
 * @since 0.1.0
 * @category models
 */
export type Attempt = errors.Attempt

/**
 * Why reaching a saved server failed.
 *
 * @since 0.1.0
 * @category errors
 */
export type ReachError = internal.ReachError

// -----------------------------------------------------------------------------
// Addresses
// -----------------------------------------------------------------------------

/**
 * One address to probe and which saved address it is (`"Local" | "Remote" | "Manual"`).
 *
 * @since 0.1.0
 * @category addresses
 */
export interface Candidate extends addresses.Candidate {}

/**
 * Normalises an address (docs/server-facts.md, "Typed addresses"): trims it, adds `http://` when there is
 * no scheme (`https://` for ports 443 and 8920), lower-cases scheme and host, drops user info,
 * query, fragment, a trailing slash, a web-client page (`/web/…`) and a trailing `/emby` or
 * `/mediabrowser`; keeps a reverse-proxy path prefix.
 *
 * @example
 * ```ts
 * import * as ConnectionManager from "@mbauth/core/ConnectionManager"
 *
 * ConnectionManager.normalizeAddress(" Media.LAN:8096/web/#/home.html ") // Right("http://media.lan:8096")
 * ```
 *
 * @since 0.1.0
 * @category addresses
 */
export const normalizeAddress: (input: string) => Either.Either<string, InvalidAddress> = (input) =>
  Either.mapLeft(addresses.normalize(input), (reason) => new InvalidAddress({ input: addresses.safeInput(input), reason }))

/**
 * The addresses worth trying for what a user typed, best first, as `@jellyfin/sdk`'s
 * `getAddressCandidates` builds them: scheme and port given → that address only; otherwise the
 * address, its `https` variant, and on the protocol's default port the Jellyfin ports (`http` →
 * 8096, `https` → 8096 and 8920), ranked https first, then default port, then 8096.
 *
 * @example
 * ```ts
 * import * as ConnectionManager from "@mbauth/core/ConnectionManager"
 *
 * ConnectionManager.addressCandidates("media.lan")
 * // Right(["https://media.lan", "https://media.lan:8096", "https://media.lan:8920",
 * //        "http://media.lan", "http://media.lan:8096"])
 * ```
 *
 * @since 0.1.0
 * @category addresses
 */
export const addressCandidates: (input: string) => Either.Either<ReadonlyArray<string>, InvalidAddress> = (input) =>
  Either.mapLeft(
    addresses.typedCandidates(input),
    (reason) => new InvalidAddress({ input: addresses.safeInput(input), reason })
  )

/**
 * The saved addresses of a server in the order they are tried: the one that worked last time
 * first, then local, manual, remote (a manual `localhost` address first of all); normalised and
 * de-duplicated. `secureOnly` drops `http:` ones, `manualOnly` all but the manual one.
 *
 * @since 0.1.0
 * @category addresses
 */
export const savedCandidates: (
  server: CredentialStore.Server,
  options?: { readonly manualOnly?: boolean | undefined; readonly secureOnly?: boolean | undefined }
) => ReadonlyArray<Candidate> = addresses.savedCandidates

/**
 * The addresses a saved server is known by: the one the user gave (manual) and the one that worked
 * last time. When one of them is HTTPS (`TransportSafety.requiresHttps`), no secret goes to the
 * server's plain-HTTP addresses: the manager races its `https` addresses only, unless
 * `allowInsecure`.
 *
 * @since 0.1.0
 * @category addresses
 */
export const knownAddresses: (server: CredentialStore.Server) => ReadonlyArray<string | undefined> =
  addresses.knownAddresses

// -----------------------------------------------------------------------------
// Reaching
// -----------------------------------------------------------------------------

/**
 * How candidates are probed:
 * - `Race({ stagger })`: concurrently, candidate i starting `stagger` after candidate i-1 or as
 *   soon as it failed (Happy Eyeballs); the first success wins, the others are interrupted;
 * - `Sequential()`: one after another, each until it answers or times out.
 *
 * @since 0.1.0
 * @category reaching
 */
export type Strategy = race.Strategy

/**
 * Constructors of {@link Strategy}: `Strategy.Race({ stagger: Duration.millis(100) })`,
 * `Strategy.Sequential()`.
 *
 * @since 0.1.0
 * @category reaching
 */
export const Strategy: typeof race.Strategy = race.Strategy

/**
 * The default strategy: a race with starts 100 ms apart (the Emby web client's spacing).
 *
 * @since 0.1.0
 * @category reaching
 */
export const defaultStrategy: Strategy = race.defaultStrategy

/**
 * A server reached by {@link reach}: its public info, the candidate that answered, how long that
 * took, and the candidates that had failed by then.
 *
 * @since 0.1.0
 * @category reaching
 */
export interface Reached extends internal.Reached {}

/**
 * Options of {@link reach}.
 *
 * @since 0.1.0
 * @category reaching
 */
export interface ReachOptions {
  /** The saved ServerId; an address answering with another Id fails with `ServerIdMismatch`. */
  readonly expectedId?: string | undefined
  /** Per probe; default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Default {@link defaultStrategy}. */
  readonly strategy?: Strategy | undefined
}

/**
 * Probes the candidates (`MediaServer.probe`) by the strategy. Succeeds with the first that answers
 * as the expected server; fails with every attempt, in candidate order, when none does.
 *
 * @example
 * ```ts
 * import * as ConnectionManager from "@mbauth/core/ConnectionManager"
 *
 * const fastest = ConnectionManager.reach([
 *   { address: "http://192.168.1.10:8096", mode: "Local" },
 *   { address: "https://media.example.com", mode: "Remote" }
 * ], { strategy: ConnectionManager.Strategy.Race({ stagger: "100 millis" }) })
 * ```
 *
 * @since 0.1.0
 * @category reaching
 */
export const reach = (
  candidates: ReadonlyArray<Candidate>,
  options: ReachOptions = {}
): Effect.Effect<Reached, ReadonlyArray<Attempt>, HttpClient.HttpClient> =>
  internal.reach(candidates, {
    expectedId: options.expectedId,
    timeout: Duration.decode(options.timeout ?? Duration.seconds(10)),
    strategy: options.strategy ?? race.defaultStrategy
  })

// -----------------------------------------------------------------------------
// Health
// -----------------------------------------------------------------------------

/**
 * How usable an address is: `"Great" | "Good" | "Ok" | "Bad"` (as `@jellyfin/sdk`'s
 * `RecommendedServerInfoScore`).
 *
 * @since 0.1.0
 * @category health
 */
export type HealthScore = health.Score

/**
 * One thing wrong with an address, and the score it allows at most:
 * - `Unreachable { error }` (Bad): no public info;
 * - `UnknownProduct { productName }` (Bad): neither Jellyfin nor Emby;
 * - `UnknownVersion { version }` (Bad);
 * - `UnsupportedVersion { version, minimumVersion }` (Ok): connecting gives `ServerUpdateNeeded`;
 * - `OutdatedVersion { version, currentVersion }` (Good);
 * - `SlowResponse { responseTime, threshold }` (Good).
 *
 * @since 0.1.0
 * @category health
 */
export type HealthIssue = health.Issue

/**
 * Constructors and matchers of {@link HealthIssue}.
 *
 * @since 0.1.0
 * @category health
 */
export const HealthIssue: typeof health.Issue = health.Issue

/**
 * The health of one address: response time, score (the worst issue's), issues, the public info and
 * the signing profile when it answered.
 *
 * @since 0.1.0
 * @category health
 */
export interface HealthReport extends health.Report {}

/**
 * The newest release lines, against which `OutdatedVersion` is judged.
 *
 * @since 0.1.0
 * @category health
 */
export interface CurrentVersions extends health.CurrentVersions {}

/**
 * Jellyfin 10.11 and Emby 4.9.
 *
 * @since 0.1.0
 * @category health
 */
export const defaultCurrentVersions: CurrentVersions = health.defaultCurrentVersions

/**
 * Options of {@link checkHealth}.
 *
 * @since 0.1.0
 * @category health
 */
export interface HealthOptions {
  /** Per probe; default 5 seconds (as the SDK). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Slower answers get `SlowResponse`; default 3 seconds (as the SDK). */
  readonly slowAfter?: Duration.DurationInput | undefined
  readonly currentVersions?: CurrentVersions | undefined
}

/**
 * Probes every candidate of what the user typed (or every address given) concurrently and reports
 * the health of each, in candidate order — `@jellyfin/sdk`'s `getRecommendedServerCandidates` as
 * data. An invalid input gives no reports.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as ConnectionManager from "@mbauth/core/ConnectionManager"
 *
 * const pick = Effect.map(ConnectionManager.checkHealth("media.lan"), ConnectionManager.bestServer)
 * ```
 *
 * @since 0.1.0
 * @category health
 */
export const checkHealth = (
  input: string | ReadonlyArray<string>,
  options: HealthOptions = {}
): Effect.Effect<ReadonlyArray<HealthReport>, never, HttpClient.HttpClient> =>
  internal.checkHealth(
    typeof input === "string" ? Either.getOrElse(addresses.typedCandidates(input), () => []) : input,
    {
      timeout: Duration.decode(options.timeout ?? Duration.seconds(5)),
      slowAfter: Duration.decode(options.slowAfter ?? Duration.seconds(3)),
      currentVersions: options.currentVersions ?? health.defaultCurrentVersions
    }
  )

/**
 * The best report: the first `Great`, else `Good`, else `Ok`; never a `Bad` one (as the SDK's
 * `findBestServer`).
 *
 * @since 0.1.0
 * @category health
 */
export const bestServer = (reports: ReadonlyArray<HealthReport>): HealthReport | undefined => health.best(reports)

// -----------------------------------------------------------------------------
// Service
// -----------------------------------------------------------------------------

/**
 * The service:
 * - `connect()`: refreshes the server list (Emby Connect when signed in, LAN discovery when a
 *   `ServerDiscovery` is in context), then connects to the most recently used server;
 *   `ConnectSignIn` / `ServerSelection` when there is nothing to connect to or it is away;
 * - `connectToServer(serverId, { userId? })`, `connectToAddress(text, { userId? })`: reach, check,
 *   exchange or validate, and report the {@link ConnectionState};
 * - `signIn(serverId, { username, password })`, `signInWithQuickConnect(serverId)`,
 *   `signOut(serverId, userId?)`: per (server, user), several at once;
 * - `client(serverId, userId?)`: an `HttpClient` signed for that server and user; relative URLs
 *   resolve against the server's API base (`…/emby/` for Emby);
 * - `mediaUrl(serverId, path, { userId?, query? })`: a `MediaServer.MediaUrl` for an image, stream
 *   or download of that server, the user's token in `ApiKey` (Jellyfin) or `api_key` (Emby);
 * - `health(serverId)`: the health of each saved address;
 * - `connectSignIn`, `connectSignInWithPin`, `refreshConnectServers`, `connectSignOut`: Emby Connect.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends internal.Service {}

/**
 * Options of {@link make}: `strategy`, `probeTimeout` (default 10 s), `secureOnly`, `installId`
 * (per-user DeviceIds), `discovery` (options or `false`), `slowAfter`, `allowInsecure` (passwords over
 * plain HTTP to public addresses, see `TransportSafety`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends internal.Options {}

/**
 * @since 0.1.0
 * @category tags
 */
export class ConnectionManager extends Context.Tag("@mbauth/core/ConnectionManager")<ConnectionManager, Service>() {}

/**
 * Builds the service from the credential store, the `HttpClient` and the `ClientInfo` in context.
 * An `EmbyConnect` client and a `ServerDiscovery` are used when they are in context too.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Service, never, CredentialStore.CredentialStore | HttpClient.HttpClient | ClientInfo.ClientInfo> =>
  Effect.map(internal.make(options), ConnectionManager.of)

/**
 * A layer with the service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<ConnectionManager, never, CredentialStore.CredentialStore | HttpClient.HttpClient | ClientInfo.ClientInfo> =>
  Layer.effect(ConnectionManager, make(options))
