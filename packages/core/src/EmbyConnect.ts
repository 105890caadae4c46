/**
 * The Emby Connect client: sign in with a name (or e-mail) and password or with a PIN, list the
 * user's linked servers with their AccessKeys, read the Connect user, sign out.
 *
 * It speaks the service as the first-party clients do, not as the wiki says (see
 * `docs/emby-connect.md`, "Real behaviour versus the documentation"):
 * - base URL `https://connect.emby.media/service/` (configurable);
 * - `X-Application: <app>/<version>` on every call, `X-Connect-UserToken` on user calls;
 * - form-encoded POST bodies, the password sent as `rawpw`;
 * - the login answer is `{ AccessToken, User: { Id, Name, … } }` (the wiki's
 *   `ConnectAccessToken`/`ConnectUserId` do not exist); any 4xx from login means bad credentials
 *   (the service answers 401, and sometimes 404);
 * - only `Id` and `Name` of a user are required; `IsActive` may arrive as the string `"true"`.
 *
 * Tokens and AccessKeys are `Redacted` in every result.
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
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ClientError from "./ClientError.js"
import { ClientPolicy } from "./ClientPolicy.js"
import * as Http from "./internal/httpClient.js"
import { ServerId } from "./internal/mediaServer/publicInfo.js"
import * as PollInterval from "./internal/pollInterval.js"
import * as redaction from "./internal/redaction.js"
import * as TransportSafety from "./TransportSafety.js"

/**
 * Where the real service lives.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = "https://connect.emby.media/service/"

/**
 * The page where the user enters a sign-in PIN.
 *
 * @since 0.1.0
 * @category constants
 */
export const PIN_URL = "https://emby.media/pin"

/**
 * The header carrying the Connect user token; registered as a redacted header name.
 *
 * @since 0.1.0
 * @category constants
 */
export const USER_TOKEN_HEADER: string = redaction.connectUserTokenHeader

/**
 * The client name used to look up the {@link ClientPolicy} settings.
 *
 * @since 0.1.0
 * @category constants
 */
export const POLICY_NAME = "EmbyConnect"

const SERVICE = "Emby Connect"
const RECOVERY = "Sign in to Emby Connect again (name and password, or a PIN) to get a new token."

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * A Connect user. Only `id` and `name` are guaranteed; some accounts have no display name.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectUser = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  displayName: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String),
  isActive: Schema.optional(Schema.Boolean),
  imageUrl: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ConnectUser extends Schema.Schema.Type<typeof ConnectUser> {}

/**
 * What user calls need: the Connect user id and token. A {@link ConnectSession} and a
 * {@link PinExchange} both are credentials.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectCredentials = Schema.Struct({
  userId: Schema.String,
  accessToken: Schema.Redacted(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ConnectCredentials extends Schema.Schema.Type<typeof ConnectCredentials> {}

/**
 * The result of a name/password sign-in.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectSession = Schema.Struct({
  userId: Schema.String,
  accessToken: Schema.Redacted(Schema.String),
  user: ConnectUser
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ConnectSession extends Schema.Schema.Type<typeof ConnectSession> {}

/**
 * A PIN as created by the service. Keep both fields: status and exchange need the pair.
 *
 * @since 0.1.0
 * @category models
 */
export const Pin = Schema.Struct({
  /** A digit string; leading zeros matter. */
  pin: Schema.String,
  deviceId: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Pin extends Schema.Schema.Type<typeof Pin> {}

/**
 * The state of a PIN.
 *
 * @since 0.1.0
 * @category models
 */
export const PinStatus = Schema.Struct({
  pin: Schema.String,
  isConfirmed: Schema.Boolean,
  isExpired: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export interface PinStatus extends Schema.Schema.Type<typeof PinStatus> {}

/**
 * The result of exchanging a confirmed PIN: Connect credentials.
 *
 * @since 0.1.0
 * @category models
 */
export const PinExchange = ConnectCredentials

/**
 * @since 0.1.0
 * @category models
 */
export interface PinExchange extends ConnectCredentials {}

/**
 * How a user is attached to a server.
 *
 * @since 0.1.0
 * @category models
 */
export const UserType = Schema.Literal("LinkedUser", "Guest")

/**
 * @since 0.1.0
 * @category models
 */
export type UserType = typeof UserType.Type

/**
 * A server linked to the Connect user, mapped as every reference client maps it:
 * `serverId ← SystemId` (the server's own Id, as in `/System/Info/Public`; the ServerId to keep in
 * context), `connectServerId ← Id` (Connect's record id), `remoteAddress ← Url`,
 * `localAddress ← LocalAddress`, `accessKey ← AccessKey` (the exchange token).
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectServer = Schema.Struct({
  serverId: Schema.String,
  connectServerId: Schema.optional(Schema.String),
  name: Schema.String,
  remoteAddress: Schema.optional(Schema.String),
  localAddress: Schema.optional(Schema.String),
  accessKey: Schema.Redacted(Schema.String),
  userType: UserType
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ConnectServer extends Schema.Schema.Type<typeof ConnectServer> {}

/**
 * Progress of {@link Service.signInWithPin}:
 * - `PinCreated`: show `pin` to the user and send them to `url`; `expires` is when the client
 *   gives up waiting (absent when it waits for the service to expire the PIN);
 * - `Waiting`: a poll found the PIN not confirmed yet (`polls` so far);
 * - `Confirmed`: the user entered the PIN; the exchange follows;
 * - `SignedIn`: the exchanged credentials; the stream ends after it.
 *
 * @since 0.1.0
 * @category models
 */
export type PinEvent = Data.TaggedEnum<{
  PinCreated: { readonly pin: string; readonly deviceId: string; readonly url: string; readonly expires?: Date }
  Waiting: { readonly pin: string; readonly polls: number }
  Confirmed: { readonly pin: string }
  SignedIn: { readonly credentials: PinExchange }
}>

/**
 * Constructors and matchers of {@link PinEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const PinEvent = Data.taggedEnum<PinEvent>()

/**
 * Options of {@link Service.signInWithPin}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PinSignInOptions {
  /** The device id the PIN is bound to (stable per install). */
  readonly deviceId: string
  /**
   * Time between status polls; default: the client's `pinPollInterval` (3 s).
   * Between 1 second (1 millisecond for a service on this machine) and the shorter of 1 minute and
   * `expireAfter`; anything else (zero, negative, NaN, infinite) fails the stream with
   * `InvalidPollInterval` before anything is sent.
   */
  readonly interval?: Duration.DurationInput | undefined
  /**
   * When to stop waiting even if the service never reports the PIN expired; default 10 minutes
   * (the service's own TTL is undocumented: "several minutes"). `Duration.infinity` waits forever.
   */
  readonly expireAfter?: Duration.DurationInput | undefined
}

/**
 * The client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The normalised base URL. */
  readonly baseUrl: string
  /**
   * Signs in with a Connect name or e-mail and password (`POST user/authenticate`). Over plain
   * HTTP to a public address it fails with `InsecureTransport` without sending anything, unless
   * the client was made with `allowInsecure`.
   */
  readonly authenticate: (credentials: {
    readonly nameOrEmail: string
    readonly password: Redacted.Redacted<string>
  }) => Effect.Effect<ConnectSession, ClientError.ClientError>
  /** Creates a sign-in PIN for the device (`POST pin`). */
  readonly createPin: (deviceId: string) => Effect.Effect<Pin, ClientError.ClientError>
  /** Reads the state of a PIN (`GET pin`). */
  readonly pinStatus: (pin: Pin) => Effect.Effect<PinStatus, ClientError.ClientError>
  /** Exchanges a confirmed PIN for Connect credentials (`POST pin/authenticate`); not retried. */
  readonly exchangePin: (pin: Pin) => Effect.Effect<PinExchange, ClientError.ClientError>
  /**
   * The whole PIN sign-in: creates the PIN, reports it, polls until it is confirmed (then
   * exchanges it and ends with `SignedIn`), expires (fails with `PinExpired`) or the stream is
   * interrupted (no poll is sent after that). A 404 from a status poll counts as "not confirmed
   * yet", as in the UWP client.
   */
  readonly signInWithPin: (options: PinSignInOptions) => Stream.Stream<PinEvent, ClientError.ClientError>
  /** The Connect user (`GET user?id=`); `id` defaults to the credentials' user. */
  readonly user: (credentials: ConnectCredentials, id?: string) => Effect.Effect<ConnectUser, ClientError.ClientError>
  /** The servers linked to the user (`GET servers?userId=`). */
  readonly servers: (credentials: ConnectCredentials) => Effect.Effect<ReadonlyArray<ConnectServer>, ClientError.ClientError>
  /**
   * Revokes the token at the service (`POST user/logout`). A token the service no longer knows
   * counts as signed out.
   */
  readonly logout: (credentials: Pick<ConnectCredentials, "accessToken">) => Effect.Effect<void, ClientError.ClientError>
}

/**
 * The client service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class EmbyConnect extends Context.Tag("@mbauth/core/EmbyConnect")<EmbyConnect, Service>() {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The application name sent in `X-Application` (required, non-empty). */
  readonly appName: string
  /** The application version sent in `X-Application` (required, non-empty). */
  readonly appVersion: string
  /** Default {@link DEFAULT_BASE_URL}. */
  readonly baseUrl?: string | undefined
  /** Default PIN poll interval; default 3 seconds (what the Emby apps use). */
  readonly pinPollInterval?: Duration.DurationInput | undefined
  /**
   * Send the password even when the base URL is plain HTTP to a public address (a warning is
   * logged). Default false: `authenticate` fails with `InsecureTransport` before sending anything.
   * See `TransportSafety.requireSecureForSecrets`.
   */
  readonly allowInsecure?: boolean | undefined
}

// ---------------------------------------------------------------------------------------------
// Wire shapes (what the service sends)
// ---------------------------------------------------------------------------------------------

/** Ids are numeric strings; tolerate a bare number. */
const WireId = Schema.Union(Schema.String, Schema.transform(Schema.Int, Schema.String, {
  strict: true,
  decode: (n) => String(n),
  encode: (s) => Number(s)
}))

const WireText = Schema.optional(Schema.NullOr(Schema.String))

/** C# booleans, but the Swift sample (and SEERR) show `IsActive: "true"`. */
const WireBoolean = Schema.Union(
  Schema.Boolean,
  Schema.transform(Schema.String, Schema.Boolean, {
    strict: true,
    decode: (s) => s.trim().toLowerCase() === "true",
    encode: (b) => String(b)
  })
)

const WireUser = Schema.Struct({
  Id: WireId,
  Name: Schema.String,
  DisplayName: WireText,
  Email: WireText,
  IsActive: Schema.optional(Schema.NullOr(WireBoolean)),
  ImageUrl: WireText
})

const WireToken = Schema.Redacted(Schema.NonEmptyString)

const WireAuthentication = Schema.Struct({ AccessToken: WireToken, User: WireUser })

const WirePinCreation = Schema.Struct({ Pin: Schema.NonEmptyString, DeviceId: WireText })

const WirePinStatus = Schema.Struct({
  Pin: WireText,
  IsConfirmed: Schema.optional(Schema.NullOr(WireBoolean)),
  IsExpired: Schema.optional(Schema.NullOr(WireBoolean))
})

const WirePinExchange = Schema.Struct({ UserId: WireId, AccessToken: WireToken })

const WireServer = Schema.Struct({
  Id: Schema.optional(Schema.NullOr(WireId)),
  SystemId: ServerId,
  Name: WireText,
  Url: WireText,
  LocalAddress: WireText,
  AccessKey: WireToken,
  UserType: WireText
})

const text = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === "" ? undefined : value

const toUser = (wire: typeof WireUser.Type): ConnectUser => {
  const displayName = text(wire.DisplayName)
  const email = text(wire.Email)
  const imageUrl = text(wire.ImageUrl)
  return {
    id: wire.Id,
    name: wire.Name,
    ...(displayName === undefined ? {} : { displayName }),
    ...(email === undefined ? {} : { email }),
    ...(wire.IsActive === undefined || wire.IsActive === null ? {} : { isActive: wire.IsActive }),
    ...(imageUrl === undefined ? {} : { imageUrl })
  }
}

const toServer = (wire: typeof WireServer.Type): ConnectServer => {
  const connectServerId = wire.Id === null || wire.Id === undefined ? undefined : wire.Id
  const remoteAddress = text(wire.Url)
  const localAddress = text(wire.LocalAddress)
  return {
    serverId: wire.SystemId,
    ...(connectServerId === undefined ? {} : { connectServerId }),
    name: text(wire.Name) ?? wire.SystemId,
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
    ...(localAddress === undefined ? {} : { localAddress }),
    accessKey: wire.AccessKey,
    // Clients compare the lower-cased value with "guest"; "Linked"/"LinkedUser" and unknown
    // values mean a full link.
    userType: wire.UserType?.toLowerCase() === "guest" ? "Guest" : "LinkedUser"
  }
}

// ---------------------------------------------------------------------------------------------
// Constructor
// ---------------------------------------------------------------------------------------------

const HEADER_TOKEN = /^[\x20-\x7e]+$/

const validate = (options: Options): Effect.Effect<URL, ConfigError.ConfigError> => {
  const appName = options.appName.trim()
  const appVersion = options.appVersion.trim()
  if (appName === "" || appVersion === "" || !HEADER_TOKEN.test(appName) || !HEADER_TOKEN.test(appVersion)) {
    return Effect.fail(ConfigError.InvalidData(
      ["appName"],
      "Emby Connect needs X-Application: a non-empty application name and version of printable ASCII"
    ))
  }
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL
  try {
    const url = new URL(baseUrl)
    if (url.protocol === "http:" || url.protocol === "https:") return Effect.succeed(url)
  } catch {
    // reported below
  }
  return Effect.fail(ConfigError.InvalidData(["baseUrl"], `not an http(s) URL: ${JSON.stringify(baseUrl)}`))
}

/**
 * Builds the client from options, the `HttpClient` in context and the {@link ClientPolicy}
 * settings for `"EmbyConnect"`. Fails with a `ConfigError` when the application name or version is
 * empty or the base URL is not http(s).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = yield* validate(options)
    const httpClient = yield* HttpClient.HttpClient
    const policy = yield* ClientPolicy
    const defaultInterval = options.pinPollInterval ?? Duration.seconds(3)
    const http = Http.make(httpClient, {
      service: SERVICE,
      baseUrl,
      settings: policy.forClient(POLICY_NAME),
      headers: { "X-Application": `${options.appName.trim()}/${options.appVersion.trim()}` }
    })

    const userHeaders = (credentials: Pick<ConnectCredentials, "accessToken">) => ({
      "X-Connect-UserToken": credentials.accessToken
    })

    const authenticate = Effect.fn("EmbyConnect.authenticate")(
      function*(credentials: { readonly nameOrEmail: string; readonly password: Redacted.Redacted<string> }) {
        yield* TransportSafety.requireSecureForSecrets(http.baseUrl, { allowInsecure: options.allowInsecure })
        const wire = yield* http.json({
          method: "POST",
          path: "user/authenticate",
          form: { nameOrEmail: credentials.nameOrEmail, rawpw: credentials.password },
          // Repeating a sign-in only mints another token: safe to retry.
          idempotent: true,
          statusError: ({ address, status }) =>
            status >= 400 && status < 500 ? new ClientError.InvalidCredentials({ service: SERVICE, address, status }) : undefined
        }, WireAuthentication)
        const user = toUser(wire.User)
        return { userId: user.id, accessToken: wire.AccessToken, user } satisfies ConnectSession
      }
    )

    const createPin = Effect.fn("EmbyConnect.createPin")(function*(deviceId: string) {
      const wire = yield* http.json({
        method: "POST",
        path: "pin",
        form: { deviceId },
        // A PIN whose answer was lost was never shown to anyone: creating another is harmless.
        idempotent: true
      }, WirePinCreation)
      return { pin: wire.Pin, deviceId: text(wire.DeviceId) ?? deviceId } satisfies Pin
    })

    const pinStatus = Effect.fn("EmbyConnect.pinStatus")(function*(pin: Pin) {
      const wire = yield* http.json({
        method: "GET",
        path: "pin",
        query: { deviceId: pin.deviceId, pin: pin.pin }
      }, WirePinStatus)
      return {
        pin: text(wire.Pin) ?? pin.pin,
        isConfirmed: wire.IsConfirmed === true,
        isExpired: wire.IsExpired === true
      } satisfies PinStatus
    })

    const exchangePin = Effect.fn("EmbyConnect.exchangePin")(function*(pin: Pin) {
      const wire = yield* http.json({
        method: "POST",
        path: "pin/authenticate",
        form: { deviceId: pin.deviceId, pin: pin.pin }
      }, WirePinExchange)
      return { userId: wire.UserId, accessToken: wire.AccessToken } satisfies PinExchange
    })

    const user = Effect.fn("EmbyConnect.user")(function*(credentials: ConnectCredentials, id?: string) {
      const wire = yield* http.json({
        method: "GET",
        path: "user",
        query: { id: id ?? credentials.userId },
        headers: userHeaders(credentials),
        recovery: RECOVERY
      }, WireUser)
      return toUser(wire)
    })

    const servers = Effect.fn("EmbyConnect.servers")(function*(credentials: ConnectCredentials) {
      const wire = yield* http.json({
        method: "GET",
        path: "servers",
        query: { userId: credentials.userId },
        headers: userHeaders(credentials),
        recovery: RECOVERY
      }, Schema.Array(WireServer))
      return wire.map(toServer)
    })

    const logout = Effect.fn("EmbyConnect.logout")(
      function*(credentials: Pick<ConnectCredentials, "accessToken">) {
        yield* http.send({
          method: "POST",
          path: "user/logout",
          headers: userHeaders(credentials),
          // Signing out twice is harmless; a token the service does not know is signed out.
          idempotent: true,
          acceptStatus: [401]
        })
      }
    )

    const signInWithPin = (options: PinSignInOptions): Stream.Stream<PinEvent, ClientError.ClientError> =>
      Stream.unwrap(Effect.gen(function*() {
        const expireAfter = Duration.decode(options.expireAfter ?? Duration.minutes(10))
        const interval = yield* PollInterval.check(options.interval ?? defaultInterval, {
          service: SERVICE,
          address: http.baseUrl,
          expireAfter
        })
        const created = yield* createPin(options.deviceId)
        const start = yield* Clock.currentTimeMillis
        const deadline = Duration.isFinite(expireAfter) ? start + Duration.toMillis(expireAfter) : undefined

        type State = { readonly _tag: "Poll"; readonly polls: number } | { readonly _tag: "Exchange" } | {
          readonly _tag: "Done"
        }
        // A 404 means the service does not know the PIN (yet); the UWP client keeps polling.
        const poll = pinStatus(created).pipe(
          Effect.map(Option.some),
          Effect.catchIf(
            (e): e is ClientError.UnexpectedResponse => e._tag === "UnexpectedResponse" && e.status === 404,
            () => Effect.succeed(Option.none<PinStatus>())
          )
        )
        const expired = (reason: "ExpiredAtService" | "DeadlineReached") =>
          Effect.fail(new ClientError.PinExpired({ pin: created.pin, reason }))

        const step = (state: State): Effect.Effect<Option.Option<readonly [PinEvent, State]>, ClientError.ClientError> => {
          switch (state._tag) {
            case "Done":
              return Effect.succeed(Option.none())
            case "Exchange":
              return Effect.map(
                exchangePin(created),
                (credentials) => Option.some([PinEvent.SignedIn({ credentials }), { _tag: "Done" }] as const)
              )
            case "Poll":
              return Effect.gen(function*() {
                const now = yield* Clock.currentTimeMillis
                if (deadline !== undefined && now >= deadline) return yield* expired("DeadlineReached")
                const wait = deadline === undefined
                  ? interval
                  : Duration.min(interval, Duration.millis(deadline - now))
                yield* Effect.sleep(wait)
                const after = yield* Clock.currentTimeMillis
                if (deadline !== undefined && after >= deadline) return yield* expired("DeadlineReached")
                const status = yield* poll
                const polls = state.polls + 1
                if (Option.isSome(status) && status.value.isConfirmed) {
                  return Option.some([PinEvent.Confirmed({ pin: created.pin }), { _tag: "Exchange" }] as const)
                }
                if (Option.isSome(status) && status.value.isExpired) return yield* expired("ExpiredAtService")
                return Option.some([PinEvent.Waiting({ pin: created.pin, polls }), { _tag: "Poll", polls }] as const)
              })
          }
        }

        const first = PinEvent.PinCreated({
          pin: created.pin,
          deviceId: created.deviceId,
          url: PIN_URL,
          ...(deadline === undefined ? {} : { expires: new Date(deadline) })
        })
        return Stream.concat(Stream.succeed(first), Stream.unfoldEffect<State, PinEvent, ClientError.ClientError, never>(
          { _tag: "Poll", polls: 0 },
          step
        ))
      }))

    return EmbyConnect.of({
      baseUrl: http.baseUrl,
      authenticate,
      createPin,
      pinStatus,
      exchangePin,
      signInWithPin,
      user,
      servers,
      logout
    })
  })

/**
 * Registers `Redaction.secretHeaderNames` ({@link USER_TOKEN_HEADER} among them) in
 * `Headers.currentRedactedNames` for the rest of the scope, so logs and spans of any HTTP client in
 * the program show them as `<redacted>`.
 *
 * @since 0.1.0
 * @category layers
 */
export const redactHeaders: Effect.Effect<void, never, Scope.Scope> = redaction.redactHeaderNamesScoped

/**
 * A layer with the client, also registering the token header as redacted.
 *
 * @example
 * ```ts
 * import * as EmbyConnect from "@mbauth/core/EmbyConnect"
 * import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
 * import * as Layer from "effect/Layer"
 *
 * const ConnectLive = EmbyConnect.layer({ appName: "my-app", appVersion: "1.0.0" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<EmbyConnect, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(EmbyConnect, Effect.zipRight(redactHeaders, make(options)))

/**
 * A layer reading the options from configuration, e.g.
 * `layerConfig({ appName: Config.string("APP_NAME"), appVersion: Config.succeed("1.0.0") })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<Options>
): Layer.Layer<EmbyConnect, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(
    EmbyConnect,
    Effect.zipRight(redactHeaders, Effect.flatMap(Config.unwrap(options), make))
  )
