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
import * as EmbyConnect from "./EmbyConnect.js"
import * as internalConnect from "./internal/testing/embyConnect.js"
import * as internalFaults from "./internal/testing/faults.js"
import * as internalParams from "./internal/testing/params.js"
import * as internalServer from "./internal/testing/server.js"

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
 * - `TruncatedJson()`: the first half of the real body, with a matching `Content-Length`;
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
 * import { Fault } from "@mbauth/core/testing"
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
 * import { serve } from "@mbauth/core/testing"
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
export type BadRequestBody = internalParams.BadRequestBody

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
export type FakeConnectError = internalConnect.FakeConnectError

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
export class FakeEmbyConnect extends Context.Tag("@mbauth/core/testing/FakeEmbyConnect")<
  FakeEmbyConnect,
  FakeEmbyConnectService
>() {}

/**
 * Starts a fake Emby Connect service for the scope.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { makeFakeEmbyConnect } from "@mbauth/core/testing"
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
