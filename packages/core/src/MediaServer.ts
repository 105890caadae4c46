/**
 * One Jellyfin or Emby server.
 *
 * Identify it without signing in: {@link probe} reads `/System/Info/Public` and tells Jellyfin from
 * Emby, {@link detectProfile} picks the profile that signs its requests (or fails with
 * {@link ServerUpdateNeeded}).
 *
 * Then the client ({@link make} / {@link layer}; one server, one client identity) signs in by name
 * and password, by exchanging an Emby Connect AccessKey, or by Jellyfin Quick Connect; reads the
 * current user; and signs out, revoking the token on the server. Every request is signed with
 * `RequestSigning` for the profile: `Authorization: MediaBrowser …` for Jellyfin,
 * `X-Emby-Authorization` for Emby (whose API lives under `/emby`). Tokens are `Redacted` in every
 * result and argument.
 *
 * Retries follow the `MediaServer` client policy: GETs (the Connect exchange included), sign-out
 * and authorizing a Quick Connect code are retried on transient failures; sign-in by name and the
 * Quick Connect steps that start or consume a request are not (a lost answer may hide a failed
 * attempt that the server counted towards its lock-out, and Jellyfin locks a user after 3 failures
 * by default). `probe` never retries.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as ClientError from "./ClientError.js"
import * as ClientInfo from "./ClientInfo.js"
import * as ClientPolicy from "./ClientPolicy.js"
import type { ProfileName, TransportName } from "./Credentials.js"
import * as Http from "./internal/httpClient.js"
import * as PollInterval from "./internal/pollInterval.js"
import * as internal from "./internal/mediaServer/publicInfo.js"
import * as internalMediaUrl from "./internal/mediaServer/mediaUrl.js"
import * as wire from "./internal/mediaServer/wire.js"
import * as Redaction from "./Redaction.js"
import * as RequestSigning from "./RequestSigning.js"
import * as TransportSafety from "./TransportSafety.js"

/**
 * The client name used to look up the {@link ClientPolicy.ClientPolicy} settings.
 *
 * @since 0.1.0
 * @category constants
 */
export const POLICY_NAME = "MediaServer"

const PROBE_SERVICE = "Jellyfin/Emby server"

// ---------------------------------------------------------------------------------------------
// Public info, probing, detection
// ---------------------------------------------------------------------------------------------

/**
 * What `GET {address}/System/Info/Public` (Jellyfin) or `{address}/emby/System/Info/Public` (Emby)
 * answers, without authentication.
 *
 * @since 0.1.0
 * @category models
 */
export interface PublicInfo {
  /** The ServerId: the key to keep servers, users and tokens by. */
  readonly id: string
  /** `ServerName`; the Id when the server has no name. */
  readonly serverName: string
  readonly version: string
  /** `"Jellyfin Server"`, `"Emby Server"`; absent on old servers. */
  readonly productName: string | undefined
  readonly localAddress: string | undefined
  /** `WanAddress` and `RemoteAddresses`, when given. */
  readonly remoteAddresses: ReadonlyArray<string>
  readonly product: "Jellyfin" | "Emby"
}

/**
 * The server is too old for mbauth (or does not say its version), so no profile can sign its
 * requests. Supported: Jellyfin 10.10 and newer, Emby 4.7 and newer.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerUpdateNeeded extends Schema.TaggedError<ServerUpdateNeeded>(
  "@mbauth/core/MediaServer/ServerUpdateNeeded"
)("ServerUpdateNeeded", {
  product: Schema.Literal("Jellyfin", "Emby"),
  /** The version the server reports. */
  version: Schema.String,
  /** The oldest version mbauth supports for this product. */
  minimumVersion: Schema.String,
  serverName: Schema.String,
  /** `TooOld`, or `UnknownVersion` when the reported version is not a version number. */
  reason: Schema.Literal("TooOld", "UnknownVersion")
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const what = this.reason === "TooOld"
      ? `runs ${this.product} ${this.version}`
      : `reports the version ${JSON.stringify(this.version)}, which is not a version number`
    return `The server ${this.serverName} ${what}; mbauth needs ${this.product} ${this.minimumVersion} or newer. ` +
      `Update the server.`
  }
}

/**
 * The profile that signs requests for a server, from its product and version:
 * - Jellyfin 10.10.x → `jellyfin-10.10`; 10.11.x (and anything before 12, though 10.12–11.x were
 *   never released) → `jellyfin-10.11`; 12 and later → `jellyfin-12`; older → {@link ServerUpdateNeeded};
 * - Emby 4.7 and later → `emby`; older → {@link ServerUpdateNeeded}. The cut-off is the oldest
 *   release line the profile was checked against (4.7 clients and servers send identity and token
 *   as the profile does); older Emby servers are years out of support.
 *
 * @since 0.1.0
 * @category detection
 */
export const detectProfile = (info: PublicInfo): Either.Either<ProfileName, ServerUpdateNeeded> =>
  Either.mapLeft(
    internal.profileFor(info.product, info.version),
    (tooOld) => new ServerUpdateNeeded({ ...tooOld, serverName: info.serverName })
  )

/**
 * Options of {@link probe}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProbeOptions {
  /** Per request; default: the `MediaServer` client policy's timeout (15 s). */
  readonly timeout?: Duration.DurationInput | undefined
}

const decodePublicInfo = Http.decodeJson(internal.WirePublicInfo)

/** The `/emby` (or `/mediabrowser`) prefix of an Emby base URL, when the address already has it. */
const hasEmbyPrefix = (address: string): boolean => {
  try {
    return /\/(emby|mediabrowser)\/?$/i.test(new URL(address).pathname)
  } catch {
    return false
  }
}

// Falls back to the `/emby` path when the first answer is not public info: a 404, or a web page.
const tryEmbyPath = (error: ClientError.ClientError): boolean =>
  error._tag === "UnexpectedResponse" && (error.status === 404 || (error.status >= 200 && error.status < 300))

const isNotFound = (error: ClientError.ClientError): boolean =>
  error._tag === "UnexpectedResponse" && error.status === 404

/**
 * Probes one address: an unauthenticated `GET {address}/System/Info/Public`, then, if that is
 * not public info (404, or a web page) and the address has no `/emby` path yet,
 * `GET {address}/emby/System/Info/Public` (Emby serves its API under `/emby`). When neither has
 * public info, the error is the `/emby` one (an Emby server failing there), unless that is a 404:
 * then the first answer's. Each request has the timeout; there are no retries (a connection
 * manager races addresses instead).
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as MediaServer from "@mbauth/core/MediaServer"
 *
 * const identify = (address: string) =>
 *   Effect.gen(function*() {
 *     const info = yield* MediaServer.probe(address, { timeout: "3 seconds" })
 *     const profile = yield* MediaServer.detectProfile(info) // fails with ServerUpdateNeeded
 *     return { serverId: info.id, name: info.serverName, profile }
 *   })
 * ```
 *
 * @since 0.1.0
 * @category probing
 */
export const probe: (
  address: string,
  options?: ProbeOptions
) => Effect.Effect<PublicInfo, ClientError.ClientError, HttpClient.HttpClient> = Effect.fn("MediaServer.probe")(
  function*(address: string, options?: ProbeOptions) {
    const httpClient = yield* HttpClient.HttpClient
    const policy = yield* ClientPolicy.ClientPolicy
    const settings = ClientPolicy.merge(policy.forClient(POLICY_NAME), {
      retries: 0,
      ...(options?.timeout === undefined ? {} : { timeout: options.timeout })
    })
    const http = Http.make(httpClient, { service: PROBE_SERVICE, baseUrl: address, settings })
    const get = (path: string) =>
      Effect.flatMap(http.send({ method: "GET", path }), (response) => decodePublicInfo(PROBE_SERVICE, response))
    const wire = yield* hasEmbyPrefix(address)
      ? get("System/Info/Public")
      : get("System/Info/Public").pipe(
        Effect.catchIf(tryEmbyPath, (first) =>
          Effect.catchAll(get("emby/System/Info/Public"), (second) =>
            // Neither path had public info. Something that answered under /emby (a 5xx, a
            // broken body) is the server's own failure: report it. A 404 there means nothing is
            // there, so the first answer says best what the address serves instead.
            Effect.fail(isNotFound(second) ? first : second)))
      )
    return internal.toPublicInfo(wire)
  }
)

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * A user of the server (`UserDto`; only `Id` and `Name` are guaranteed).
 *
 * @since 0.1.0
 * @category models
 */
export const User = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  serverId: Schema.optional(Schema.String),
  hasPassword: Schema.optional(Schema.Boolean),
  isAdministrator: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface User extends Schema.Schema.Type<typeof User> {}

/**
 * The session a sign-in created on the server (`SessionInfo`), as far as the server describes it.
 *
 * @since 0.1.0
 * @category models
 */
export const Session = Schema.Struct({
  id: Schema.optional(Schema.String),
  client: Schema.optional(Schema.String),
  deviceName: Schema.optional(Schema.String),
  deviceId: Schema.optional(Schema.String),
  applicationVersion: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Session extends Schema.Schema.Type<typeof Session> {}

/**
 * What calls with a token need. A {@link SignIn} and an {@link ExchangeResult} both qualify.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenCredentials {
  readonly accessToken: Redacted.Redacted<string>
}

/**
 * A URL carrying the token in its query, for what cannot send a header (images, HLS and progressive
 * streams, downloads): `url` is `Redacted` (reveal it only where it is handed over), `masked` has the
 * token replaced by `<redacted>` (for logs), `parameter` is `ApiKey` (Jellyfin, read whatever the
 * legacy switch) or `api_key` (Emby, which never reads `ApiKey`). The token ends up in the server's
 * and any proxy's access logs and in browser history: see `docs/media-server.md`.
 *
 * @since 0.1.0
 * @category models
 */
export interface MediaUrl extends internalMediaUrl.MediaUrl {}

/**
 * The result of a sign-in (`AuthenticationResult`): the user, the access token, the ServerId and
 * the session the server created for this device.
 *
 * @since 0.1.0
 * @category models
 */
export const SignIn = Schema.Struct({
  user: User,
  accessToken: Schema.Redacted(Schema.String),
  serverId: Schema.String,
  session: Schema.UndefinedOr(Session)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface SignIn extends Schema.Schema.Type<typeof SignIn> {}

/**
 * The result of an Emby Connect exchange: the local user the Connect user is linked to, and a
 * token of a new session for this device.
 *
 * @since 0.1.0
 * @category models
 */
export const ExchangeResult = Schema.Struct({
  localUserId: Schema.String,
  accessToken: Schema.Redacted(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ExchangeResult extends Schema.Schema.Type<typeof ExchangeResult> {}

/**
 * A pending Quick Connect request: the `code` the user enters in an app where they are signed in,
 * and the `secret` that polls and finally signs in (a secret: whoever holds it gets the session).
 *
 * @since 0.1.0
 * @category models
 */
export interface QuickConnectRequest {
  readonly code: string
  readonly secret: Redacted.Redacted<string>
}

/**
 * Progress of {@link Service.quickConnect}:
 * - `CodeCreated`: show `code` to the user; `expires` is when the client gives up waiting;
 * - `Waiting`: a poll found the code not authorized yet (`polls` so far);
 * - `Authorized`: the user authorized the code; the sign-in follows;
 * - `SignedIn`: the new session; the stream ends after it.
 *
 * @since 0.1.0
 * @category models
 */
export type QuickConnectEvent = Data.TaggedEnum<{
  CodeCreated: { readonly code: string; readonly expires?: Date }
  Waiting: { readonly code: string; readonly polls: number }
  Authorized: { readonly code: string }
  SignedIn: { readonly signIn: SignIn }
}>

/**
 * Constructors and matchers of {@link QuickConnectEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const QuickConnectEvent = Data.taggedEnum<QuickConnectEvent>()

/**
 * Options of {@link Service.quickConnect}.
 *
 * @since 0.1.0
 * @category models
 */
export interface QuickConnectOptions {
  /**
   * Time between polls; default: the client's `quickConnectPollInterval` (5 s).
   * Between 1 second (1 millisecond for a service on this machine) and the shorter of 1 minute and
   * `expireAfter`; anything else (zero, negative, NaN, infinite) fails the stream with
   * `InvalidPollInterval` before anything is sent.
   */
  readonly interval?: Duration.DurationInput | undefined
  /**
   * When to stop waiting; default 10 minutes, the lifetime Jellyfin gives a Quick Connect request.
   * `Duration.infinity` waits until the server forgets the request.
   */
  readonly expireAfter?: Duration.DurationInput | undefined
}

/**
 * The server cannot do this: Quick Connect on Emby (`NotSupported`) or on a Jellyfin server where
 * an administrator turned it off (`Disabled`), or a Connect exchange on Jellyfin (`NotSupported`).
 *
 * @since 0.1.0
 * @category errors
 */
export class OperationUnavailable extends Schema.TaggedError<OperationUnavailable>(
  "@mbauth/core/MediaServer/OperationUnavailable"
)("OperationUnavailable", {
  operation: Schema.Literal("QuickConnect", "ConnectExchange"),
  address: Schema.String,
  reason: Schema.Literal("NotSupported", "Disabled")
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    if (this.operation === "ConnectExchange") {
      return `The server at ${this.address} is not an Emby server: only Emby accepts Emby Connect AccessKeys. ` +
        `Sign in with a name and password instead.`
    }
    return this.reason === "Disabled"
      ? `Quick Connect is turned off on the server at ${this.address}. An administrator can turn it on in the ` +
        `dashboard; until then, sign in with a name and password.`
      : `The server at ${this.address} has no Quick Connect (only Jellyfin has). Sign in with a name and password.`
  }
}

/**
 * `authorizeQuickConnect` found no pending request with this code: it expired (Jellyfin keeps a
 * request 10 minutes), was already used to sign in, or was mistyped (Jellyfin answers 404).
 *
 * @since 0.1.0
 * @category errors
 */
export class QuickConnectCodeUnknown extends Schema.TaggedError<QuickConnectCodeUnknown>(
  "@mbauth/core/MediaServer/QuickConnectCodeUnknown"
)("QuickConnectCodeUnknown", {
  /** The code typed (shown on the new device; not a secret). */
  code: Schema.String,
  address: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `The server at ${this.address} has no pending Quick Connect request with code ${this.code}: it expired ` +
      `(codes live 10 minutes), was already used, or was mistyped. Start Quick Connect again on the new device and ` +
      `approve the code it shows now.`
  }
}

/**
 * The client of one server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The API base URL requests go to (ends with `/`; `…/emby/` for Emby). */
  readonly baseUrl: string
  readonly profile: ProfileName
  /** The identity sent with every request. */
  readonly clientInfo: ClientInfo.ClientInfo
  /** `GET System/Info/Public`, unauthenticated. */
  readonly publicInfo: Effect.Effect<PublicInfo, ClientError.ClientError>
  /**
   * Signs in with a user name and password (`POST Users/AuthenticateByName`, JSON
   * `{ Username, Pw }`). A wrong name or password is `InvalidCredentials`. A second sign-in of the
   * same user with the same DeviceId revokes the first token (Jellyfin). Not retried. Over plain
   * HTTP to a public address it fails with `InsecureTransport` without sending anything, unless
   * the client was made with `allowInsecure`.
   */
  readonly authenticateByName: (credentials: {
    readonly username: string
    readonly password: Redacted.Redacted<string>
  }) => Effect.Effect<SignIn, ClientError.ClientError>
  /**
   * Emby only: exchanges an Emby Connect AccessKey (`EmbyConnect` `servers`' `accessKey`) for a
   * local session (`GET Connect/Exchange?ConnectUserId=`), the AccessKey sent as the token
   * (`X-Emby-Token`) and the client identity in `X-Emby-Authorization`, so the server creates a
   * session for this device. A rejected AccessKey is `Unauthorized`.
   */
  readonly exchange: (options: {
    readonly connectUserId: string
    readonly accessKey: Redacted.Redacted<string>
  }) => Effect.Effect<ExchangeResult, ClientError.ClientError | OperationUnavailable>
  /** Jellyfin: whether Quick Connect is on (`GET QuickConnect/Enabled`); Emby: false. */
  readonly quickConnectEnabled: Effect.Effect<boolean, ClientError.ClientError>
  /** Jellyfin: starts a Quick Connect request (`POST QuickConnect/Initiate`). Not retried. */
  readonly initiateQuickConnect: Effect.Effect<QuickConnectRequest, ClientError.ClientError | OperationUnavailable>
  /**
   * Whether the user authorized the request yet (`GET QuickConnect/Connect?secret=`). A request the
   * server no longer knows (it expired) is `PinExpired`.
   */
  readonly quickConnectStatus: (request: QuickConnectRequest) => Effect.Effect<boolean, ClientError.ClientError>
  /** Signs in with an authorized request (`POST Users/AuthenticateWithQuickConnect`). Not retried. */
  readonly authenticateWithQuickConnect: (request: QuickConnectRequest) => Effect.Effect<SignIn, ClientError.ClientError>
  /**
   * The whole Quick Connect sign-in: initiates, reports the code, polls until the user authorizes
   * it (then signs in and ends with `SignedIn`), until it expires (`PinExpired`: the code is the
   * PIN) or until the stream is interrupted (no request is sent after that).
   */
  readonly quickConnect: (
    options?: QuickConnectOptions
  ) => Stream.Stream<QuickConnectEvent, ClientError.ClientError | OperationUnavailable>
  /**
   * The other side of Quick Connect: a signed-in user authorizes a code shown by a new device
   * (`POST QuickConnect/Authorize?code=`). An unknown, expired or used code is
   * {@link QuickConnectCodeUnknown}; Quick Connect turned off is `OperationUnavailable(Disabled)`
   * (told apart from a rejected token, which is `Unauthorized`, by asking `QuickConnect/Enabled`).
   * Not retried: Jellyfin answers a second authorization of one code with 500.
   */
  readonly authorizeQuickConnect: (
    credentials: TokenCredentials,
    code: string
  ) => Effect.Effect<void, ClientError.ClientError | OperationUnavailable | QuickConnectCodeUnknown>
  /**
   * A URL under the API (`path` relative to {@link Service.baseUrl}, e.g. `Items/{id}/Images/Primary`)
   * with `query` and the token in the query parameter this server reads ({@link MediaUrl}). A path
   * that leaves the API base (an absolute URL, `..`) fails with a `ConfigError`: the token goes
   * nowhere else. Nothing is sent.
   */
  readonly mediaUrl: (
    credentials: TokenCredentials,
    path: string,
    query?: Readonly<Record<string, string | number | boolean | undefined>>
  ) => Effect.Effect<MediaUrl, ConfigError.ConfigError>
  /** The token's user (`GET Users/Me`). A revoked token is `Unauthorized`; an API key has no user. */
  readonly currentUser: (credentials: TokenCredentials) => Effect.Effect<User, ClientError.ClientError>
  /**
   * Signs out (`POST Sessions/Logout`): the server revokes the token. A token the server no longer
   * knows counts as signed out, which makes the call safe to retry.
   */
  readonly logout: (credentials: TokenCredentials) => Effect.Effect<void, ClientError.ClientError>
}

/**
 * The client service tag, for programs talking to one server. A program juggling several servers
 * calls {@link make} once per server (and per user, when DeviceIds are per user).
 *
 * @since 0.1.0
 * @category tags
 */
export class MediaServer extends Context.Tag("@mbauth/core/MediaServer")<MediaServer, Service>() {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * The server address, e.g. `http://192.168.1.20:8096` (with the Jellyfin base path if the server
   * has one). For Emby, `/emby` is appended unless the address already ends in `/emby` or
   * `/mediabrowser`.
   */
  readonly address: string
  /** The profile, usually from {@link detectProfile}. */
  readonly profile: ProfileName
  /**
   * The identity sent with every request. All four fields are required (the server needs them to
   * create a session); checked by {@link make}. Use the per-user DeviceId of the `DeviceId`
   * module: Jellyfin keeps one token per (DeviceId, user).
   */
  readonly clientInfo: ClientInfo.ClientInfo
  /** The server's `EnableLegacyAuthorization`, if known; default the profile's default. */
  readonly legacy?: boolean | undefined
  /** Default Quick Connect poll interval; default 5 seconds. */
  readonly quickConnectPollInterval?: Duration.DurationInput | undefined
  /**
   * Send the password even when the address is plain HTTP to a public host (a warning is logged).
   * Default false: `authenticateByName` fails with `InsecureTransport` before sending anything.
   * See `TransportSafety.requireSecureForSecrets`.
   */
  readonly allowInsecure?: boolean | undefined
  /**
   * The addresses this server is known by: the one the user gave and the one that last worked.
   * When one of them is HTTPS and `address` is plain HTTP, nothing secret is sent (password,
   * AccessKey or token): the calls fail with `InsecureTransport` (a downgrade) unless
   * `allowInsecure`. See `TransportSafety.requiresHttps`.
   */
  readonly knownAddresses?: ReadonlyArray<string | undefined> | undefined
}

// ---------------------------------------------------------------------------------------------
// Constructor
// ---------------------------------------------------------------------------------------------

const SERVICE: Record<"Jellyfin" | "Emby", string> = { Jellyfin: "Jellyfin server", Emby: "Emby server" }

const RECOVERY = "Sign in to the server again (name and password, or Quick Connect) to get a new token."
const EXCHANGE_RECOVERY = "The AccessKey may have been replaced: read the server list from Emby Connect again " +
  "(EmbyConnect servers) and exchange its current AccessKey, or sign in to the server with a name and password."
const QUICK_CONNECT_RECOVERY = "The Quick Connect request was not authorized or is used up: start Quick Connect again."

const productOf = (profile: ProfileName): "Jellyfin" | "Emby" => profile === "emby" ? "Emby" : "Jellyfin"

const apiBase = (address: string, profile: ProfileName): Either.Either<URL, string> => {
  let url: URL
  try {
    url = new URL(address.trim())
  } catch {
    return Either.left(`not a URL: ${JSON.stringify(address)}`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return Either.left(`not an http(s) URL: ${url.protocol}`)
  url.search = ""
  url.hash = ""
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`
  // Emby serves its API under /emby (the connection manager always builds `{base}/emby/{handler}`).
  if (profile === "emby" && !/\/(emby|mediabrowser)\/$/i.test(url.pathname)) url.pathname = `${url.pathname}emby/`
  return Either.right(url)
}

const invalidCredentials = (service: string) => ({ address, status }: Http.StatusContext) =>
  status === 401 || status === 403 ? new ClientError.InvalidCredentials({ service, address, status }) : undefined

/**
 * Builds a client for one server from options, the `HttpClient` in context and the
 * {@link ClientPolicy.ClientPolicy} settings for `"MediaServer"`. Fails with `InvalidClientInfo`
 * when a client field is missing, empty or cannot be encoded (checked before anything is sent), and
 * with a `ConfigError` when the address is not an http(s) URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, ClientInfo.InvalidClientInfo | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { profile } = options
    const product = productOf(profile)
    const service = SERVICE[product]
    const base = apiBase(options.address, profile)
    if (Either.isLeft(base)) return yield* Effect.fail(ConfigError.InvalidData(["address"], base.left))
    const baseUrl = base.right.toString()
    // The generated "login" validation: Client, Version, DeviceId and Device present, non-empty, encodable.
    const clientInfo = yield* ClientInfo.make(options.clientInfo)
    const httpClient = yield* HttpClient.HttpClient
    const policy = yield* ClientPolicy.ClientPolicy
    const settings = policy.forClient(POLICY_NAME)
    const defaultInterval = options.quickConnectPollInterval ?? Duration.seconds(5)
    // The Quick Connect secret travels in the query: keep such requests out of the platform's spans.
    const rawClient = HttpClient.withTracerDisabledWhen(httpClient, Redaction.hasSecretQuery)

    const signerOptions = (token?: Redacted.Redacted<string>, transport?: TransportName): RequestSigning.Options => ({
      profile,
      clientInfo,
      ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
      ...(token === undefined ? {} : { token }),
      ...(transport === undefined ? {} : { transport })
    })

    const httpFor = (signer: RequestSigning.Signer) =>
      Http.make(signer.signClient(rawClient), { service, baseUrl, settings })

    // The identity was validated above and the scheme header is one every profile reads, so this
    // cannot fail; a failure here is a configuration problem and reported as such.
    const anonymous = httpFor(
      yield* RequestSigning.make(signerOptions()).pipe(
        Effect.mapError((error) => ConfigError.InvalidData(["clientInfo"], error.message))
      )
    )

    const knownAddresses = options.knownAddresses ?? []
    /** Refuses to send `secret` to this address when that would weaken the scheme, or expose a password. */
    const mayReceive = (secret: "password" | "AccessKey" | "token") =>
      secret === "password" || TransportSafety.requiresHttps(knownAddresses)
        ? TransportSafety.requireSecureForSecrets(baseUrl, { allowInsecure: options.allowInsecure, secret, knownAddresses })
        : Effect.void

    /** A client signing with `token`. Only a token that cannot be written in a header fails. */
    const withToken = (token: Redacted.Redacted<string>, transport?: TransportName) =>
      Effect.zipRight(
        mayReceive(transport === "X-Emby-Token" ? "AccessKey" : "token"),
        RequestSigning.make(signerOptions(token, transport)).pipe(
          Effect.map(httpFor),
          Effect.mapError((error) =>
            new ClientError.ServerUnreachable({
              service,
              address: baseUrl,
              cause: `request not sent: ${error.description}`
            })
          )
        )
      )

    const toSignIn = (result: typeof wire.WireAuthenticationResult.Type): SignIn => {
      const user = wire.toUser(result.User)
      return {
        user,
        accessToken: result.AccessToken,
        // Older servers omit the top-level ServerId; the user carries it too.
        serverId: wire.text(result.ServerId) ?? user.serverId ?? "",
        session: wire.toSession(result.SessionInfo)
      }
    }

    const publicInfo = Effect.flatMap(
      anonymous.json({ method: "GET", path: "System/Info/Public" }, internal.WirePublicInfo),
      (info) => Effect.succeed(internal.toPublicInfo(info))
    ).pipe(Effect.withSpan("MediaServer.publicInfo"))

    const authenticateByName = Effect.fn("MediaServer.authenticateByName")(
      function*(credentials: { readonly username: string; readonly password: Redacted.Redacted<string> }) {
        yield* mayReceive("password")
        const result = yield* anonymous.json({
          method: "POST",
          path: "Users/AuthenticateByName",
          json: { Username: credentials.username, Pw: credentials.password },
          // Not retried: see the module documentation (lock-out after failed attempts).
          idempotent: false,
          statusError: invalidCredentials(service)
        }, wire.WireAuthenticationResult)
        return toSignIn(result)
      }
    )

    const unavailable = (operation: OperationUnavailable["operation"], reason: OperationUnavailable["reason"]) =>
      new OperationUnavailable({ operation, address: baseUrl, reason })

    const exchange = Effect.fn("MediaServer.exchange")(
      function*(exchangeOptions: { readonly connectUserId: string; readonly accessKey: Redacted.Redacted<string> }) {
        if (product !== "Emby") return yield* unavailable("ConnectExchange", "NotSupported")
        // X-Emby-Token: what EJS20 sends; every Emby version reads it (docs/server-facts.md, "Emby Connect").
        const http = yield* withToken(exchangeOptions.accessKey, "X-Emby-Token")
        const result = yield* http.json({
          method: "GET",
          path: "Connect/Exchange",
          query: { format: "json", ConnectUserId: exchangeOptions.connectUserId },
          // A repeated exchange only creates another session for this device.
          idempotent: true,
          recovery: EXCHANGE_RECOVERY,
          statusError: ({ address, excerpt, status }) =>
            status === 404
              ? new ClientError.UnexpectedResponse({
                service,
                address,
                status,
                issue: "the Connect user is not linked to a user of this server (link it in the server's user settings)",
                excerpt
              })
              : undefined
        }, wire.WireExchange)
        return { localUserId: result.LocalUserId, accessToken: result.AccessToken } satisfies ExchangeResult
      }
    )

    const quickConnectEnabled = (product === "Emby" ? Effect.succeed(false) : anonymous.json({
      method: "GET",
      path: "QuickConnect/Enabled"
    }, Schema.Boolean)).pipe(Effect.withSpan("MediaServer.quickConnectEnabled"))

    const decodeQuickConnect = Http.decodeJson(wire.WireQuickConnect)

    const initiateQuickConnect = Effect.gen(function*() {
      if (product === "Emby") return yield* unavailable("QuickConnect", "NotSupported")
      const response = yield* anonymous.send({
        method: "POST",
        path: "QuickConnect/Initiate",
        // Jellyfin answers 401 while Quick Connect is turned off.
        acceptStatus: [401]
      })
      if (response.status === 401) return yield* unavailable("QuickConnect", "Disabled")
      const result = yield* decodeQuickConnect(service, response)
      return { code: result.Code, secret: result.Secret } satisfies QuickConnectRequest
    }).pipe(Effect.withSpan("MediaServer.initiateQuickConnect"))

    const quickConnectStatus = Effect.fn("MediaServer.quickConnectStatus")(function*(request: QuickConnectRequest) {
      const result = yield* anonymous.json({
        method: "GET",
        path: "QuickConnect/Connect",
        query: { secret: request.secret },
        // Jellyfin forgets a request when it expires and then answers 404.
        statusError: ({ status }) =>
          status === 404 ? new ClientError.PinExpired({ pin: request.code, reason: "ExpiredAtService" }) : undefined
      }, wire.WireQuickConnect)
      return result.Authenticated === true
    })

    const authenticateWithQuickConnect = Effect.fn("MediaServer.authenticateWithQuickConnect")(
      function*(request: QuickConnectRequest) {
        const result = yield* anonymous.json({
          method: "POST",
          path: "Users/AuthenticateWithQuickConnect",
          json: { Secret: request.secret },
          idempotent: false,
          recovery: QUICK_CONNECT_RECOVERY,
          statusError: ({ status }) =>
            status === 404 ? new ClientError.PinExpired({ pin: request.code, reason: "ExpiredAtService" }) : undefined
        }, wire.WireAuthenticationResult)
        return toSignIn(result)
      }
    )

    const authorizeQuickConnect = Effect.fn("MediaServer.authorizeQuickConnect")(
      function*(credentials: TokenCredentials, code: string) {
        if (product === "Emby") return yield* unavailable("QuickConnect", "NotSupported")
        const http = yield* withToken(credentials.accessToken)
        const response = yield* http.send({
          method: "POST",
          path: "QuickConnect/Authorize",
          query: { code },
          acceptStatus: [404],
          // QuickConnectManager.AuthorizeRequest throws (500) for a code authorized already: no retries.
          idempotent: false,
          recovery: RECOVERY
        }).pipe(
          // 401 is both "Quick connect is disabled" and a rejected token; the public switch tells.
          Effect.catchIf(
            (error) => error._tag === "Unauthorized",
            (error): Effect.Effect<never, ClientError.ClientError | OperationUnavailable> =>
              Effect.flatMap(
                Effect.orElseSucceed(quickConnectEnabled, () => true),
                (enabled) => Effect.fail(enabled ? error : unavailable("QuickConnect", "Disabled"))
              )
          )
        )
        if (response.status === 404) return yield* new QuickConnectCodeUnknown({ code, address: baseUrl })
      }
    )

    const currentUser = Effect.fn("MediaServer.currentUser")(function*(credentials: TokenCredentials) {
      const http = yield* withToken(credentials.accessToken)
      return wire.toUser(yield* http.json({ method: "GET", path: "Users/Me", recovery: RECOVERY }, wire.WireUser))
    })

    const logout = Effect.fn("MediaServer.logout")(function*(credentials: TokenCredentials) {
      const http = yield* withToken(credentials.accessToken)
      yield* http.send({
        method: "POST",
        path: "Sessions/Logout",
        // A token the server does not know is signed out: so a repeat (retry) is harmless.
        idempotent: true,
        acceptStatus: [401]
      })
    })

    const quickConnect = (quickOptions: QuickConnectOptions = {}) =>
      Stream.unwrap(Effect.gen(function*() {
        const expireAfter = Duration.decode(quickOptions.expireAfter ?? Duration.minutes(10))
        const interval = yield* PollInterval.check(quickOptions.interval ?? defaultInterval, {
          service,
          address: baseUrl,
          expireAfter
        })
        const request = yield* initiateQuickConnect
        const start = yield* Clock.currentTimeMillis
        const deadline = Duration.isFinite(expireAfter) ? start + Duration.toMillis(expireAfter) : undefined
        const expired = Effect.fail(new ClientError.PinExpired({ pin: request.code, reason: "DeadlineReached" }))

        type State = { readonly _tag: "Poll"; readonly polls: number } | { readonly _tag: "SignIn" } | {
          readonly _tag: "Done"
        }
        const step = (
          state: State
        ): Effect.Effect<Option.Option<readonly [QuickConnectEvent, State]>, ClientError.ClientError> => {
          switch (state._tag) {
            case "Done":
              return Effect.succeed(Option.none())
            case "SignIn":
              return Effect.map(
                authenticateWithQuickConnect(request),
                (signIn) => Option.some([QuickConnectEvent.SignedIn({ signIn }), { _tag: "Done" }] as const)
              )
            case "Poll":
              return Effect.gen(function*() {
                const now = yield* Clock.currentTimeMillis
                if (deadline !== undefined && now >= deadline) return yield* expired
                yield* Effect.sleep(deadline === undefined ? interval : Duration.min(interval, Duration.millis(deadline - now)))
                const after = yield* Clock.currentTimeMillis
                if (deadline !== undefined && after >= deadline) return yield* expired
                const authorized = yield* quickConnectStatus(request)
                if (authorized) {
                  return Option.some([QuickConnectEvent.Authorized({ code: request.code }), { _tag: "SignIn" }] as const)
                }
                const polls = state.polls + 1
                return Option.some(
                  [QuickConnectEvent.Waiting({ code: request.code, polls }), { _tag: "Poll", polls }] as const
                )
              })
          }
        }

        const first = QuickConnectEvent.CodeCreated({
          code: request.code,
          ...(deadline === undefined ? {} : { expires: new Date(deadline) })
        })
        return Stream.concat(
          Stream.succeed(first),
          Stream.unfoldEffect<State, QuickConnectEvent, ClientError.ClientError, never>({ _tag: "Poll", polls: 0 }, step)
        )
      }))

    return MediaServer.of({
      baseUrl,
      profile,
      clientInfo,
      publicInfo,
      authenticateByName,
      exchange,
      quickConnectEnabled,
      initiateQuickConnect,
      quickConnectStatus,
      authenticateWithQuickConnect,
      quickConnect,
      authorizeQuickConnect,
      mediaUrl: (credentials, path, query) =>
        Either.match(internalMediaUrl.make({ baseUrl, profile, token: credentials.accessToken, path, query }), {
          onLeft: (reason) => Effect.fail(ConfigError.InvalidData(["path"], reason)),
          onRight: Effect.succeed
        }),
      currentUser,
      logout
    })
  })

/**
 * A layer with the client, also registering the MediaBrowser header names as redacted
 * (`Redaction.layerRedactedHeaderNames`).
 *
 * @example
 * ```ts
 * import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
 * import * as Layer from "effect/Layer"
 * import * as MediaServer from "@mbauth/core/MediaServer"
 *
 * const HomeServer = MediaServer.layer({
 *   address: "http://192.168.1.20:8096",
 *   profile: "jellyfin-10.11",
 *   clientInfo: { client: "My App", version: "1.0.0", device: "Laptop", deviceId: "3f9c2a7e" }
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<MediaServer, ClientInfo.InvalidClientInfo | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.merge(Layer.effect(MediaServer, make(options)), Redaction.layerRedactedHeaderNames)

/**
 * A layer reading the options from configuration, e.g.
 * `layerConfig({ address: Config.string("SERVER"), profile: Config.succeed("jellyfin-12"), clientInfo: ClientInfo.config })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<Options>
): Layer.Layer<MediaServer, ClientInfo.InvalidClientInfo | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.merge(
    Layer.effect(MediaServer, Effect.flatMap(Config.unwrap(options), make)),
    Redaction.layerRedactedHeaderNames
  )
