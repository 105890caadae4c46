/**
 * The sandbox: fake MediaBrowser services as real HTTP servers on 127.0.0.1, with fault
 * injection, for tests and for the CLI's sandbox. Node only (it uses `@effect/platform-node`).
 *
 * Building blocks for any fake server:
 * - {@link serve} runs an `HttpApp` for the lifetime of a scope on a random (or chosen) port and
 *   returns its URL, a {@link RequestLog} of everything it received, and its {@link Faults};
 * - {@link Faults} inject latency, error statuses, 429 + `Retry-After`, connection resets,
 *   malformed or truncated JSON, hangs and huge bodies, changed at run time with `set(...)`;
 * - {@link readParams} binds query and body (form or JSON) case-insensitively, as the real
 *   services do.
 *
 * The fake Emby Connect service: {@link makeFakeEmbyConnect} / {@link layerFakeEmbyConnect}.
 *
 * Fake media servers: {@link makeFakeJellyfin} (profiles `jellyfin-10.10`, `jellyfin-10.11`,
 * `jellyfin-12`, legacy switch configurable, Quick Connect) and {@link makeFakeEmby} (`/emby`
 * prefix, Connect exchange), each optionally with a UDP discovery responder
 * ({@link makeDiscoveryResponder}).
 *
 * The whole sandbox — fake Connect and the personas Jellyfin 10.10, 10.11, 12.0 and Emby 4.9 with
 * demo data, one discovery responder — in one call: {@link makeSandbox} / {@link layerSandbox}; a
 * few personas with their knobs: {@link makeSandboxPersonas}.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
// The error classes are exported under their own names (not as aliases), so types inferred from
// this module name them as "@mbauth/testing" exports rather than as files inside the package.
import { DiscoveryResponderError } from "./internal/discoveryResponder.js"
import { FakeConnectError } from "./internal/embyConnect.js"
import { FakeServerError } from "./internal/fakeMediaServer.js"
import { BadRequestBody } from "./internal/params.js"
import * as internalDiscovery from "./internal/discoveryResponder.js"
import * as internalConnect from "./internal/embyConnect.js"
import * as internalEmby from "./internal/fakeEmby.js"
import * as internalJellyfin from "./internal/fakeJellyfin.js"
import type * as internalMediaServer from "./internal/fakeMediaServer.js"
import * as internalFaults from "./internal/faults.js"
import * as internalParams from "./internal/params.js"
import * as internalSandbox from "./internal/sandbox.js"
import type * as internalSessionSocket from "./internal/sessionSocket.js"
import * as internalServer from "./internal/server.js"

// ---------------------------------------------------------------------------------------------
// Fault injection
// ---------------------------------------------------------------------------------------------

/**
 * One kind of fault:
 * - `Latency({ delay })`: wait before handling (adds up with other latency rules and combines
 *   with one other fault);
 * - `Status({ status, body?, headers? })`: answer with this status instead of handling;
 * - `RateLimit({ retryAfter? })`: 429 with `Retry-After` (default `"1"`);
 * - `ResetBeforeResponse()`: read the request, then reset the connection without answering;
 * - `ResetMidBody()`: the real status, headers and first half of the real body, then the
 *   connection closes;
 * - `MalformedJson()`: the real answer with broken JSON (secrets in it stay there: good for
 *   checking that error excerpts are redacted);
 * - `TruncatedJson()`: the first half of the real body, with a matching `Content-Length`
 *   (these two leave a 204 or 304 answer alone: it has no body);
 * - `Hang()`: accept the request and never answer;
 * - `LargeBody({ bytes, announce? })`: a streamed 200 JSON body of that size (`announce` sends
 *   `Content-Length`).
 *
 * @since 0.1.0
 * @category faults
 */
export type Fault = internalFaults.Fault

/**
 * Constructors of {@link Fault}: `Fault.Status({ status: 503 })`, `Fault.Hang()`, …
 *
 * @since 0.1.0
 * @category faults
 */
export const Fault = internalFaults.Fault

/**
 * A fault and the requests it applies to: `times` (default: all until the rules change),
 * `method`, `path` (exact and case-insensitive, or a RegExp).
 *
 * @since 0.1.0
 * @category faults
 */
export interface FaultRule extends internalFaults.FaultRule {}

/**
 * The fault controls of a fake server: `set(...rules)` replaces the rules, `add` appends, `clear`
 * removes them, `rules` shows what is left; `middleware` applies them to an app.
 *
 * @example
 * ```ts
 * import { Fault } from "@mbauth/testing"
 * // fake.faults.set({ fault: Fault.Status({ status: 503 }), times: 2 })
 * // fake.faults.set(Fault.RateLimit({ retryAfter: "1" }), Fault.Latency({ delay: "50 millis" }))
 * ```
 *
 * @since 0.1.0
 * @category faults
 */
export interface Faults extends internalFaults.Faults {}

/**
 * A new, empty rule list (share one between servers by passing it to {@link serve}).
 *
 * @since 0.1.0
 * @category faults
 */
export const makeFaults: Effect.Effect<Faults> = internalFaults.make

// ---------------------------------------------------------------------------------------------
// Fake servers
// ---------------------------------------------------------------------------------------------

/**
 * A request as a fake server received it.
 *
 * @since 0.1.0
 * @category servers
 */
export interface RecordedRequest extends internalServer.RecordedRequest {}

/**
 * Filters for a {@link RequestLog}: `method`, `path` (exact, case-insensitive, or a RegExp).
 *
 * @since 0.1.0
 * @category servers
 */
export interface RequestFilter extends internalServer.RequestFilter {}

/**
 * Every request a fake server received, faulted ones included, so tests can count attempts.
 *
 * @since 0.1.0
 * @category servers
 */
export interface RequestLog extends internalServer.RequestLog {}

/**
 * A running fake server: `url` (`http://127.0.0.1:<port>`), `port`, `faults`, `requests`.
 *
 * @since 0.1.0
 * @category servers
 */
export interface FakeServer extends internalServer.FakeServer {}

/**
 * Options of {@link serve}: `port` (default 0 = free), `host` (default `127.0.0.1`), `faults`.
 *
 * @since 0.1.0
 * @category servers
 */
export interface ServeOptions extends internalServer.ServeOptions {}

/**
 * Serves an `HttpApp` until the scope closes, behind a request log and fault injection. Handlers
 * run on the live clock. Closing the scope drops open connections, hung ones included.
 *
 * @example
 * ```ts
 * import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
 * import * as Effect from "effect/Effect"
 * import { serve } from "@mbauth/testing"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const server = yield* serve(Effect.succeed(HttpServerResponse.text("hello")))
 *   return server.url // http://127.0.0.1:<random port>
 * }))
 * ```
 *
 * @since 0.1.0
 * @category servers
 */
export const serve: <E, R>(
  app: HttpApp.Default<E, R>,
  options?: ServeOptions
) => Effect.Effect<
  FakeServer,
  HttpServerError.ServeError,
  Scope.Scope | Exclude<R, HttpServerRequest.HttpServerRequest>
> = internalServer.serve

/**
 * A URL on 127.0.0.1 where nothing listens: connections to it are refused.
 *
 * @since 0.1.0
 * @category servers
 */
export const refusedUrl: Effect.Effect<string> = internalServer.refusedUrl

/**
 * Request parameters: query string and body (form or JSON) merged, names case-insensitive.
 *
 * @since 0.1.0
 * @category servers
 */
export interface Params extends internalParams.Params {}

/**
 * The body of a request could not be read or parsed.
 *
 * @since 0.1.0
 * @category servers
 */
export { BadRequestBody }

/**
 * Reads the parameters of the current request, as ServiceStack binds them.
 *
 * @since 0.1.0
 * @category servers
 */
export const readParams: Effect.Effect<Params, BadRequestBody, HttpServerRequest.HttpServerRequest> =
  internalParams.read

// ---------------------------------------------------------------------------------------------
// Fake Emby Connect
// ---------------------------------------------------------------------------------------------

/**
 * A Connect account to seed: `name`, `email`, `password`, optional `id`, `displayName`,
 * `imageUrl`.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface ConnectUserSeed extends internalConnect.ConnectUserSeed {}

/**
 * A user's link to a server: `user` (id, name or e-mail), `userType`, `accessKey`, `status`.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface LinkSeed extends internalConnect.LinkSeed {}

/**
 * An Emby server registered with Connect: `name`, optional `systemId`, `id`, `url`,
 * `localAddress`, `users` (links).
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface ConnectServerSeed extends internalConnect.ConnectServerSeed {}

/**
 * Options of the fake Connect service: seeds, `pinLifetime` (default 10 minutes),
 * `loginFailureStatus` (401 or 404), `port`, `host`, `nextPin`.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface FakeEmbyConnectOptions extends internalConnect.Options {}

/**
 * A Connect account held by the fake.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface ConnectUserRecord extends internalConnect.ConnectUserRecord {}

/**
 * A server registered with the fake.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface ConnectServerRecord extends internalConnect.ConnectServerRecord {}

/**
 * A user's link to a server, with its AccessKey.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface LinkRecord extends internalConnect.LinkRecord {}

/**
 * A PIN held by the fake.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface PinRecord extends internalConnect.PinRecord {}

/**
 * What an AccessKey grants on a server: the Connect user (`connectUserId`, `connectUserName`,
 * `email`), `userType`, and the server (`connectServerId`, `systemId`).
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface AccessKeyGrant extends internalConnect.AccessKeyGrant {}

/**
 * A programmatic call on the fake was invalid (unknown user, server or PIN).
 *
 * @since 0.1.0
 * @category emby connect
 */
export { FakeConnectError }

/**
 * A running fake Emby Connect service:
 * - `url`, `serviceUrl` (`<url>/service/`, the client's base URL), `server`, `faults`, `requests`;
 * - seeding: `addUser`, `addServer`, `link(server, { user, userType?, accessKey?, status? })`;
 * - the user's website step: `confirmPin(pin, user)` (also over HTTP:
 *   `POST /service/pin/confirm?pin=&userId=` with the user's `X-Connect-UserToken`);
 *   `expirePin(pin)`, `pins`;
 * - `signIn(user)` → a token without HTTP; `tokenOwner(token)`; `tokens` (every token minted);
 * - `resolveAccessKey(systemId, accessKey)` → the {@link AccessKeyGrant} a fake Emby server's
 *   `/Connect/Exchange` checks.
 *
 * @since 0.1.0
 * @category emby connect
 */
export interface FakeEmbyConnectService extends internalConnect.FakeEmbyConnectService {}

/**
 * Tag of a fake Emby Connect service shared through a layer.
 *
 * @since 0.1.0
 * @category emby connect
 */
export class FakeEmbyConnect extends Context.Tag("@mbauth/testing/FakeEmbyConnect")<
  FakeEmbyConnect,
  FakeEmbyConnectService
>() {}

/**
 * Starts a fake Emby Connect service for the scope.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { makeFakeEmbyConnect } from "@mbauth/testing"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const fake = yield* makeFakeEmbyConnect({
 *     users: [{ name: "alice", email: "alice@example.com", password: "secret" }],
 *     servers: [{ name: "Home", url: "https://home.example.com", users: [{ user: "alice" }] }]
 *   })
 *   return fake.serviceUrl // give this to EmbyConnect.layer({ baseUrl, … })
 * }))
 * ```
 *
 * @since 0.1.0
 * @category emby connect
 */
export const makeFakeEmbyConnect: (
  options?: FakeEmbyConnectOptions
) => Effect.Effect<FakeEmbyConnectService, HttpServerError.ServeError | FakeConnectError, Scope.Scope> =
  internalConnect.make

/**
 * A layer running a fake Emby Connect service for its lifetime.
 *
 * @since 0.1.0
 * @category emby connect
 */
export const layerFakeEmbyConnect = (
  options: FakeEmbyConnectOptions = {}
): Layer.Layer<FakeEmbyConnect, HttpServerError.ServeError | FakeConnectError> =>
  Layer.scoped(FakeEmbyConnect, internalConnect.make(options))

/**
 * An {@link EmbyConnect.EmbyConnect} client pointed at the {@link FakeEmbyConnect} in context
 * (application `mbauth-sandbox/0.1.0` unless given).
 *
 * @since 0.1.0
 * @category emby connect
 */
export const layerEmbyConnectClient = (
  options: Partial<EmbyConnect.Options> = {}
): Layer.Layer<EmbyConnect.EmbyConnect, ConfigError.ConfigError, FakeEmbyConnect | HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(FakeEmbyConnect, (fake) =>
    EmbyConnect.layer({
      appName: "mbauth-sandbox",
      appVersion: "0.1.0",
      ...options,
      baseUrl: options.baseUrl ?? fake.serviceUrl
    })))

/**
 * The legacy Connect password hash (MD5 of the pre-hash-filtered password, lower-case hex), which
 * the fake accepts as `password=` like the real service did before `rawpw`.
 *
 * @since 0.1.0
 * @category emby connect
 */
export const legacyPasswordHash: (password: string) => string = internalConnect.legacyPasswordHash

// ---------------------------------------------------------------------------------------------
// Fake Jellyfin and Emby servers
// ---------------------------------------------------------------------------------------------

/**
 * A user of a fake server to create: `name`, `password` (may be empty), optional `id`,
 * `isAdministrator`, and for Emby `connectUser` (the Connect user id, name or e-mail it is linked to).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface ServerUserSeed extends internalMediaServer.UserSeed {}

/**
 * A user held by a fake server, with its `disabled` flag and failed sign-in count.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface ServerUserRecord extends internalMediaServer.UserRecord {}

/**
 * An API key to create: `name` (the application it is for), optional `key` (default random).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface ApiKeySeed extends internalMediaServer.ApiKeySeed {}

/**
 * An API key held by a fake server.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface ApiKeyRecord extends internalMediaServer.ApiKeyRecord {}

/**
 * A live device token: the user's session on one device (`token`, `userId`, `deviceId`, `device`,
 * `client`, `version`, `sessionId`, `createdAt`).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface DeviceRecord extends internalMediaServer.DeviceRecord {}

/**
 * Options every fake media server takes: `id`, `serverName`, `version`, `productName` (`null`
 * leaves it out), `localAddress`, `wanAddress`, `users`, `apiKeys`, `lockoutAfter` (failed sign-ins
 * before a user is disabled, or `false`), `port`, `host`, `discovery` (`{ port?, host? }` runs a
 * discovery responder for the server, default port 7359).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface FakeMediaServerOptions extends internalMediaServer.CommonOptions {}

/**
 * A programmatic call on a fake media server was invalid (unknown user, duplicate name, unknown
 * Quick Connect code).
 *
 * @since 0.1.0
 * @category media servers
 */
export { FakeServerError }

/**
 * What every fake media server offers: `url` (what a user types), `apiUrl` (`url`, or `url/emby`),
 * `id`, `serverName`, `version`, `profile`, `server`, `faults`, `requests`, `legacy` / `setLegacy`,
 * users (`addUser`, `users`, `setDisabled`), API keys (`addApiKey`, `apiKeys`), device tokens
 * (`devices`, `tokens` — every token ever minted —, `signIn(user)` without HTTP, `revoke`,
 * `tokenOwner`), and its `discovery` responder if any.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface FakeMediaServer extends internalMediaServer.FakeMediaServer {}

/**
 * Options of {@link makeFakeJellyfin}: the common ones plus `profile` (default `jellyfin-10.11`),
 * `legacy` (default: the profile's), `quickConnect` (default on), `quickConnectLifetime` (default
 * 10 minutes), `socketLostTimeout` (what `/socket`'s `ForceKeepAlive` announces; default 60 s).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface FakeJellyfinOptions extends internalJellyfin.FakeJellyfinOptions {}

/**
 * A Quick Connect request held by a fake Jellyfin server.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface QuickConnectRecord extends internalJellyfin.QuickConnectRecord {}

/**
 * The session WebSocket connections of a fake server (Jellyfin's `/socket`, Emby's
 * `/embywebsocket`): `open`, `owners`, `broadcast(message)`,
 * `closeAll` (as a restarting server), `keepAlives` (client `KeepAlive` messages received).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface SessionSockets extends internalSessionSocket.SessionSockets {}

/**
 * A running fake Jellyfin server: a {@link FakeMediaServer} plus the Quick Connect controls —
 * `authorizeQuickConnect(code, user)` (the user's step in an app where they are signed in),
 * `expireQuickConnect(code)`, `quickConnectRequests`, `setQuickConnectEnabled`,
 * `quickConnectEnabled` — and `sockets` ({@link SessionSockets}).
 *
 * @since 0.1.0
 * @category media servers
 */
export interface FakeJellyfinServer extends internalJellyfin.FakeJellyfinServer {}

/**
 * Starts a fake Jellyfin server for the scope.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { makeFakeJellyfin } from "@mbauth/testing"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const jellyfin = yield* makeFakeJellyfin({
 *     profile: "jellyfin-12", // legacy authorization off, as Jellyfin 12 ships
 *     users: [{ name: "alice", password: "secret" }]
 *   })
 *   return jellyfin.url // give this to MediaServer.make({ address, profile: "jellyfin-12", … })
 * }))
 * ```
 *
 * @since 0.1.0
 * @category media servers
 */
export const makeFakeJellyfin: (
  options?: FakeJellyfinOptions
) => Effect.Effect<
  FakeJellyfinServer,
  HttpServerError.ServeError | FakeServerError | DiscoveryResponderError,
  Scope.Scope
> = internalJellyfin.make

/**
 * What a fake Emby server needs from Emby Connect to check AccessKeys (`resolveAccessKey`, `users`);
 * a {@link FakeEmbyConnectService} has both.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface ConnectDirectory extends internalEmby.ConnectDirectory {}

/**
 * Options of {@link makeFakeEmby}: the common ones plus `connect`, the Connect service whose
 * AccessKeys `/emby/Connect/Exchange` accepts.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface FakeEmbyOptions extends internalEmby.FakeEmbyOptions {}

/**
 * A running fake Emby server (API under `url/emby`), with `sockets` ({@link SessionSockets}) for its
 * `/embywebsocket`.
 *
 * @since 0.1.0
 * @category media servers
 */
export interface FakeEmbyServer extends internalEmby.FakeEmbyServer {}

/**
 * Starts a fake Emby server for the scope. Register it with a fake Connect service
 * (`connect.addServer({ systemId: emby.id, … })`) for the exchange to work.
 *
 * @since 0.1.0
 * @category media servers
 */
export const makeFakeEmby: (
  options?: FakeEmbyOptions
) => Effect.Effect<
  FakeEmbyServer,
  HttpServerError.ServeError | FakeServerError | DiscoveryResponderError,
  Scope.Scope
> = internalEmby.make

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

/**
 * A server a discovery responder answers for: `product`, `address`, `id`, `name`.
 *
 * @since 0.1.0
 * @category discovery
 */
export interface DiscoveryEntry extends internalDiscovery.DiscoveryEntry {}

/**
 * Options of {@link makeDiscoveryResponder}: `port` (default 7359, 0 = free), `host` (default
 * `127.0.0.1`; `0.0.0.0` hears LAN broadcasts), `entries`.
 *
 * @since 0.1.0
 * @category discovery
 */
export interface DiscoveryResponderOptions extends internalDiscovery.DiscoveryResponderOptions {}

/**
 * A datagram a responder received: sender, decoded text, number of answers sent.
 *
 * @since 0.1.0
 * @category discovery
 */
export interface DiscoveryQuery extends internalDiscovery.DiscoveryQuery {}

/**
 * A running responder: `host`, `port`, `queries`, `entries`, `setEntries`.
 *
 * @since 0.1.0
 * @category discovery
 */
export interface DiscoveryResponder extends internalDiscovery.DiscoveryResponder {}

/**
 * The responder's UDP socket could not be bound.
 *
 * @since 0.1.0
 * @category discovery
 */
export { DiscoveryResponderError }

/**
 * Answers LAN discovery as Jellyfin and Emby servers do, for the scope: a datagram containing
 * `who is JellyfinServer?` (or `who is EmbyServer?`, case-insensitive; UTF-8 or UTF-16) gets one
 * JSON datagram `{"Address","Id","Name"}` per matching entry, sent back to the sender's address
 * and port (Jellyfin's also carries `"EndpointAddress": null`).
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { makeDiscoveryResponder } from "@mbauth/testing"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const responder = yield* makeDiscoveryResponder({
 *     port: 0, // a free port; send "who is JellyfinServer?" to 127.0.0.1:<responder.port>
 *     entries: [{ product: "Jellyfin", address: "http://127.0.0.1:8096", id: "0123abcd", name: "Den" }]
 *   })
 *   return responder.port
 * }))
 * ```
 *
 * @since 0.1.0
 * @category discovery
 */
export const makeDiscoveryResponder: (
  options: DiscoveryResponderOptions
) => Effect.Effect<DiscoveryResponder, DiscoveryResponderError, Scope.Scope> = internalDiscovery.make

// ---------------------------------------------------------------------------------------------
// Sandbox
// ---------------------------------------------------------------------------------------------

/**
 * The sandbox's fixed demo data: Connect users (`connect.alice`, `connect.bob`), server users
 * (`users.alice` — an administrator —, `users.bob`), the API key, the server Ids and the AccessKeys
 * of the Emby links. Test data, not secrets.
 *
 * @since 0.1.0
 * @category sandbox
 */
export const SANDBOX_DEMO: typeof internalSandbox.DEMO = internalSandbox.DEMO

/**
 * The servers as released that the sandbox runs: `jellyfin-10.10`, `jellyfin-10.11` (legacy on),
 * `jellyfin-12.0` (legacy off, no `/emby` prefix, POST-only Quick Connect initiate) and `emby-4.9`
 * (separate `X-Emby-*` values, `/emby` prefix, no `ProductName`, Connect exchange).
 *
 * @since 0.1.0
 * @category sandbox
 */
export const SANDBOX_PERSONAS: typeof internalSandbox.PERSONAS = internalSandbox.PERSONAS

/**
 * The name of a persona (see {@link SANDBOX_PERSONAS}).
 *
 * @since 0.1.0
 * @category sandbox
 */
export type SandboxPersonaName = internalSandbox.PersonaName

/**
 * Whether a string names a persona.
 *
 * @since 0.1.0
 * @category sandbox
 */
export const isSandboxPersonaName: (name: string) => name is SandboxPersonaName = internalSandbox.isPersonaName

/**
 * One persona to run: `persona`, `port` (default 0, a free port), `legacy` and `quickConnect`.
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxPersonaOptions extends internalSandbox.PersonaOptions {}

/**
 * Options of {@link makeSandboxPersonas}: `personas` (in start order), `host`, `connectPort`,
 * `discoveryPort` (absent: no discovery responder).
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxPersonasOptions extends internalSandbox.PersonasOptions {}

/**
 * A running persona: `persona` and its fake `server`.
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxPersonaServer extends internalSandbox.PersonaServer {}

/**
 * Running personas: `connect` (when `emby-4.9` runs), `servers`, `discovery`, `services`,
 * `description`.
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxPersonas extends internalSandbox.Personas {}

/**
 * Starts only the given personas (and the fake Emby Connect when `emby-4.9` is among them), each
 * with its knobs, for the scope.
 *
 * @since 0.1.0
 * @category sandbox
 */
export const makeSandboxPersonas: (
  options: SandboxPersonasOptions
) => Effect.Effect<SandboxPersonas, SandboxError, Scope.Scope> = internalSandbox.makePersonas

/**
 * Ports of the sandbox's services (`connect`, `jellyfin10`, `jellyfin` (10.11), `jellyfin12`,
 * `emby`, `discovery`); each defaults to 0, a free port.
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxPorts extends internalSandbox.SandboxPorts {}

/**
 * Options of {@link makeSandbox}: `host` (default `127.0.0.1`), `ports`, `discovery` (default
 * true), `jellyfin12Legacy` (default false), `personas` (knobs per persona: `legacy`,
 * `quickConnect`).
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxOptions extends internalSandbox.SandboxOptions {}

/**
 * One sandbox service described for people and scripts: `name`, `kind`, `persona`, `url`,
 * `apiUrl`, `profile`, `version`, `serverId`, `legacy`, `quickConnect`, `users` (with passwords),
 * `apiKeys`.
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxServiceDescription extends internalSandbox.ServiceDescription {}

/**
 * The running sandbox: `connect`, `jellyfin10` (10.10), `jellyfin` (10.11), `jellyfin12` (12.0,
 * legacy off), `emby` (4.9, registered with `connect`, alice linked, bob a guest), `servers` (the
 * four with their persona names), `discovery`, `services` (descriptions) and `description` (the
 * same as text).
 *
 * @since 0.1.0
 * @category sandbox
 */
export interface SandboxService extends internalSandbox.Sandbox {}

/**
 * Tag of a sandbox shared through a layer.
 *
 * @since 0.1.0
 * @category sandbox
 */
export class Sandbox extends Context.Tag("@mbauth/testing/Sandbox")<Sandbox, SandboxService>() {}

/**
 * Any failure to start the sandbox (a port in use, …).
 *
 * @since 0.1.0
 * @category sandbox
 */
export type SandboxError = HttpServerError.ServeError | FakeConnectError | FakeServerError | DiscoveryResponderError

/**
 * Starts the whole sandbox for the scope, on 127.0.0.1 unless told otherwise: a fake Emby Connect
 * and every persona ({@link SANDBOX_PERSONAS}) with {@link SANDBOX_DEMO} data, and one discovery
 * responder answering for the four servers.
 *
 * @example
 * ```ts
 * import * as Console from "effect/Console"
 * import * as Effect from "effect/Effect"
 * import { makeSandbox } from "@mbauth/testing"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const sandbox = yield* makeSandbox({ ports: { jellyfin: 8096 } })
 *   yield* Console.log(sandbox.description)
 *   yield* Effect.never // serve until interrupted
 * }))
 * ```
 *
 * @since 0.1.0
 * @category sandbox
 */
export const makeSandbox: (
  options?: SandboxOptions
) => Effect.Effect<SandboxService, SandboxError, Scope.Scope> = internalSandbox.make

/**
 * A layer running the sandbox for its lifetime.
 *
 * @since 0.1.0
 * @category sandbox
 */
export const layerSandbox = (options: SandboxOptions = {}): Layer.Layer<Sandbox, SandboxError> =>
  Layer.scoped(Sandbox, internalSandbox.make(options))
