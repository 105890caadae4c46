/**
 * What the fake Jellyfin and Emby servers share: users with passwords, API keys, device tokens,
 * sign-in, `/Users/Me`, `/Sessions/Logout`, `/System/Info/Public`, authentication through core's
 * `ServerAuthentication` (the token check implemented over the device tokens, the API keys and, for
 * Emby, Connect AccessKeys), routing, fault injection and the discovery responder.
 *
 * Behaviour follows core's `docs/server-facts.md` ("Jellyfin: sign-in, tokens and devices"; "Emby Connect" for Emby):
 * - sign-in needs `Client`, `Device`, `DeviceId` and `Version` from the scheme header the profile
 *   reads, non-empty (else 400, as `ArgumentException.ThrowIfNullOrEmpty` gives);
 * - a wrong name or password is 401; Jellyfin disables a user after 3 failed sign-ins in a row
 *   (5 for administrators) unless `lockoutAfter` says otherwise;
 * - one token per (DeviceId, user): a sign-in revokes that user's earlier tokens on that DeviceId;
 * - tokens are looked up among device tokens first, then API keys (32 lower-case hex digits both);
 * - `/Users/Me` with an API key is 400 (no user); `/Sessions/Logout` revokes the token used.
 *
 * Routes are case-insensitive and ignore a trailing slash, as on the real servers.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerRespondable from "@effect/platform/HttpServerRespondable"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { randomBytes } from "node:crypto"
import type * as ClientInfo from "@mbauth/core/ClientInfo"
import * as Credentials from "@mbauth/core/Credentials"
import * as ServerAuthentication from "@mbauth/core/ServerAuthentication"
import * as Discovery from "./discoveryResponder.js"
import * as Params from "./params.js"
import * as Server from "./server.js"

/** A user to create. */
export interface UserSeed {
  /** Default: random 32 hex digits (Jellyfin's format). */
  readonly id?: string | undefined
  readonly name: string
  /** May be empty: a user without a password. */
  readonly password: string
  readonly isAdministrator?: boolean | undefined
  /** Emby: the Connect user (id, name or e-mail) this local user is linked to. */
  readonly connectUser?: string | undefined
}

/** A user held by the fake. */
export interface UserRecord {
  readonly id: string
  readonly name: string
  readonly password: string
  readonly isAdministrator: boolean
  readonly connectUser?: string | undefined
  /** Disabled by too many failed sign-ins (or by a test). */
  readonly disabled: boolean
  readonly failedLogins: number
}

/** An API key to create. */
export interface ApiKeySeed {
  /** The application name the key was made for (replaces `Client` on requests using it). */
  readonly name: string
  /** Default: random 32 hex digits. */
  readonly key?: string | undefined
}

/** An API key. */
export interface ApiKeyRecord {
  readonly name: string
  readonly key: string
}

/** A device token: a user's session on one device. */
export interface DeviceRecord {
  readonly token: string
  readonly userId: string
  readonly deviceId: string
  readonly device: string
  readonly client: string
  readonly version: string
  readonly sessionId: string
  readonly createdAt: number
}

/** Options shared by the fake servers. */
export interface CommonOptions {
  /** ServerId; default random 32 hex digits. */
  readonly id?: string | undefined
  readonly serverName?: string | undefined
  readonly version?: string | undefined
  /** `null` leaves `ProductName` out (old servers). */
  readonly productName?: string | null | undefined
  /** What `/System/Info/Public` advertises as `LocalAddress`; default the fake's own URL. */
  readonly localAddress?: string | undefined
  /** `WanAddress` (Emby) — also listed in `RemoteAddresses`. */
  readonly wanAddress?: string | undefined
  readonly users?: ReadonlyArray<UserSeed> | undefined
  readonly apiKeys?: ReadonlyArray<ApiKeySeed> | undefined
  /** Failed sign-ins in a row before a user is disabled; `false` = never. */
  readonly lockoutAfter?: { readonly user: number; readonly administrator: number } | false | undefined
  readonly port?: number | undefined
  readonly host?: string | undefined
  /** Run a discovery responder for this server (default port 7359); absent = none. */
  readonly discovery?: { readonly port?: number | undefined; readonly host?: string | undefined } | undefined
}

/** A programmatic call on a fake server was invalid (unknown user, duplicate name …). */
export class FakeServerError extends Data.TaggedError("FakeServerError")<{ readonly message: string }> {}

/** What every fake media server offers tests. */
export interface FakeMediaServer {
  readonly product: "Jellyfin" | "Emby"
  readonly profile: Credentials.ProfileName
  /** `http://127.0.0.1:<port>`: what a user types and what the server advertises. */
  readonly url: string
  /** Where the API lives: `url` for Jellyfin, `<url>/emby` for Emby. */
  readonly apiUrl: string
  readonly id: string
  readonly serverName: string
  readonly version: string
  readonly server: Server.FakeServer
  readonly faults: Server.FakeServer["faults"]
  readonly requests: Server.RequestLog
  /** The `EnableLegacyAuthorization` in force (Jellyfin 10.10 and Emby have no switch: always true). */
  readonly legacy: Effect.Effect<boolean>
  /** Turns the legacy switch (no effect on profiles without it). */
  readonly setLegacy: (legacy: boolean) => Effect.Effect<void>
  readonly addUser: (seed: UserSeed) => Effect.Effect<UserRecord, FakeServerError>
  readonly users: Effect.Effect<ReadonlyArray<UserRecord>>
  /** Disables or re-enables a user (re-enabling also clears the failed sign-in count). */
  readonly setDisabled: (user: string, disabled: boolean) => Effect.Effect<void, FakeServerError>
  readonly addApiKey: (seed: ApiKeySeed) => Effect.Effect<ApiKeyRecord, FakeServerError>
  readonly apiKeys: Effect.Effect<ReadonlyArray<ApiKeyRecord>>
  /** Live device tokens. */
  readonly devices: Effect.Effect<ReadonlyArray<DeviceRecord>>
  /** Every token ever minted, revoked ones included (for leak checks). */
  readonly tokens: Effect.Effect<ReadonlyArray<string>>
  /** Signs a user (id or name) in without HTTP, as a device; returns the token. */
  readonly signIn: (user: string, clientInfo?: ClientInfo.ClientInfo) => Effect.Effect<string, FakeServerError>
  /** Revokes a device token (as the dashboard's "sign out device" does). */
  readonly revoke: (token: string) => Effect.Effect<boolean>
  /** The user a device token belongs to, if it is live. */
  readonly tokenOwner: (token: string) => Effect.Effect<Option.Option<string>>
  readonly discovery: Discovery.DiscoveryResponder | undefined
}

/** What a route handler gets. */
export interface RouteContext {
  readonly request: HttpServerRequest.HttpServerRequest
  readonly params: Params.Params
  /** Present on authenticated routes. */
  readonly auth: ServerAuthentication.Authenticated | undefined
  /**
   * The client fields the product reads (anonymous routes too); on authenticated routes completed
   * from the device record, or for an API key with its name and the server's id and name.
   */
  readonly clientInfo: ClientInfo.Partial
}

/** One route. */
export interface Route {
  readonly auth: boolean
  /** How this route answers an unauthenticated request; default ServerAuthentication's 401. */
  readonly unauthorized?: ((reason: "NoToken" | "InvalidToken") => HttpServerResponse.HttpServerResponse) | undefined
  readonly handler: (context: RouteContext) => Effect.Effect<HttpServerResponse.HttpServerResponse>
}

/** The state and helpers a product adds its routes on. */
export interface Engine {
  readonly id: string
  readonly serverName: string
  readonly version: string
  readonly users: () => ReadonlyArray<UserRecord>
  readonly devices: () => ReadonlyArray<DeviceRecord>
  readonly findUser: (key: string) => UserRecord | undefined
  /** Mints a device token for a user after revoking the user's tokens on the same DeviceId. */
  readonly mintDeviceToken: (user: UserRecord, clientInfo: ClientInfo.ClientInfo) => Effect.Effect<DeviceRecord>
  /** `AuthenticationResult` for a new device token. */
  readonly authenticationResult: (user: UserRecord, device: DeviceRecord) => unknown
  readonly userDto: (user: UserRecord) => unknown
  /** The four client fields, or a 400 answer naming the first one missing. */
  readonly requireClientInfo: (
    info: ClientInfo.Partial
  ) => Effect.Effect<ClientInfo.ClientInfo, HttpServerResponse.HttpServerResponse>
}

/** How a product specialises the engine. */
export interface ProductConfig {
  readonly product: "Jellyfin" | "Emby"
  readonly profile: Credentials.ProfileName
  readonly legacy: boolean | undefined
  readonly defaultVersion: string
  readonly defaultName: string
  readonly defaultProductName: string | null
  readonly defaultLockout: { readonly user: number; readonly administrator: number } | false
  /**
   * The path prefixes the API answers under, tried in order (`["/emby", "/mediabrowser"]` for Emby;
   * Jellyfin 10.x also strips them before routing; an empty string = the bare path).
   */
  readonly prefixes: ReadonlyArray<string>
  /** Paths answered at the root whatever `prefixes` say (Emby's `/embywebsocket`), lower case. */
  readonly rootPaths?: ReadonlyArray<string> | undefined
  /**
   * Jellyfin's AuthorizationContext: a device token arriving with another `Device` or `Version`
   * rewrites the stored device record (unless `Client` contains "chromecast").
   */
  readonly rewritesDeviceRecord: boolean
  /** A known path asked with another method is 405 (ASP.NET Core, i.e. Jellyfin), else 404. */
  readonly methodNotAllowed: boolean
  /** Product fields of `/System/Info/Public`. */
  readonly publicInfo: (base: { readonly id: string; readonly name: string; readonly version: string; readonly localAddress: string; readonly productName: string | null }) => unknown
  /** Tokens that are neither device tokens nor API keys (Emby: Connect AccessKeys). */
  readonly lookupToken?: ((token: string, engine: Engine) => Effect.Effect<Option.Option<UserRecord>>) | undefined
  readonly routes: (engine: Engine) => Readonly<Record<string, Route>>
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex")
const now = Clock.make().currentTimeMillis

export const text = (status: number, body: string) => HttpServerResponse.text(body, { status })
export const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

const iso = (millis: number) => new Date(millis).toISOString()

/** The fields of `info` that carry a value. */
const nonEmpty = (info: ClientInfo.Partial): ClientInfo.Partial =>
  Object.fromEntries(Object.entries(info).filter(([, v]) => typeof v === "string" && v.trim() !== ""))

/** Starts a fake server for the scope. */
export const make = (
  config: ProductConfig,
  options: CommonOptions
): Effect.Effect<
  FakeMediaServer & { readonly engine: Engine },
  HttpServerError.ServeError | FakeServerError | Discovery.DiscoveryResponderError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const id = options.id ?? hex(16)
    const serverName = options.serverName ?? config.defaultName
    const version = options.version ?? config.defaultVersion
    const productName = options.productName === undefined ? config.defaultProductName : options.productName
    const lockout = options.lockoutAfter ?? config.defaultLockout
    let legacy = ServerAuthentication.resolveLegacy(config.profile, config.legacy)

    let users: Array<UserRecord> = []
    let apiKeys: Array<ApiKeyRecord> = []
    let devices: Array<DeviceRecord> = []
    const minted: Array<string> = []

    const fail = (message: string) => new FakeServerError({ message })

    const findUser = (key: string): UserRecord | undefined =>
      users.find((u) => u.id === key) ?? users.find((u) => u.name.toLowerCase() === key.toLowerCase())

    const updateUser = (target: UserRecord, change: Partial<UserRecord>): UserRecord => {
      const updated = { ...target, ...change }
      users = users.map((u) => u.id === target.id ? updated : u)
      return updated
    }

    const mintDeviceToken = (user: UserRecord, info: ClientInfo.ClientInfo) =>
      Effect.map(now, (at) => {
        // GetAuthorizationToken: log out every token of this user on this DeviceId first.
        devices = devices.filter((d) => !(d.userId === user.id && d.deviceId === info.deviceId))
        const device: DeviceRecord = {
          token: hex(16),
          userId: user.id,
          deviceId: info.deviceId,
          device: info.device,
          client: info.client,
          version: info.version,
          sessionId: hex(16),
          createdAt: at
        }
        devices = [...devices, device]
        minted.push(device.token)
        return device
      })

    const userDto = (user: UserRecord) => ({
      Name: user.name,
      ServerId: id,
      Id: user.id,
      HasPassword: user.password !== "",
      HasConfiguredPassword: user.password !== "",
      HasConfiguredEasyPassword: false,
      EnableAutoLogin: false,
      Configuration: { PlayDefaultAudioTrack: true, SubtitleMode: "Default" },
      Policy: { IsAdministrator: user.isAdministrator, IsHidden: false, IsDisabled: user.disabled, EnableAllDevices: true }
    })

    const authenticationResult = (user: UserRecord, device: DeviceRecord) => ({
      User: userDto(user),
      SessionInfo: {
        Id: device.sessionId,
        UserId: user.id,
        UserName: user.name,
        Client: device.client,
        LastActivityDate: iso(device.createdAt),
        DeviceName: device.device,
        DeviceId: device.deviceId,
        ApplicationVersion: device.version,
        IsActive: true,
        SupportsRemoteControl: false,
        ServerId: id
      },
      AccessToken: device.token,
      ServerId: id
    })

    const requireClientInfo = (info: ClientInfo.Partial) => {
      const missing = (["client", "version", "deviceId", "device"] as const).find((k) => (info[k] ?? "") === "")
      if (missing !== undefined) {
        const parameter = { client: "appName", version: "appVersion", deviceId: "deviceId", device: "deviceName" }[missing]
        return Effect.fail(text(400, `Value cannot be null or an empty string. (Parameter '${parameter}')`))
      }
      return Effect.succeed(info as ClientInfo.ClientInfo)
    }

    const engine: Engine = {
      id,
      serverName,
      version,
      users: () => users,
      devices: () => devices,
      findUser,
      mintDeviceToken,
      authenticationResult,
      userDto,
      requireClientInfo
    }

    // --- the token check ServerAuthentication runs ----------------------------------------------

    const principalOf = (user: UserRecord) =>
      ServerAuthentication.Principal.User({ userId: user.id, userName: user.name, isAdministrator: user.isAdministrator })

    const validator: ServerAuthentication.TokenValidator = {
      validate: (credentials) =>
        Effect.gen(function*() {
          const token = Redacted.value(credentials.token)
          // Device tokens first, then API keys, as Jellyfin's AuthService looks them up.
          const device = devices.find((d) => d.token === token)
          if (device !== undefined) {
            const user = findUser(device.userId)
            if (user === undefined || user.disabled) {
              return yield* new ServerAuthentication.TokenRejected({ reason: "User is disabled or gone." })
            }
            return principalOf(user)
          }
          const key = apiKeys.find((k) => k.key === token)
          if (key !== undefined) return ServerAuthentication.Principal.ApiKey({ name: key.name })
          if (config.lookupToken !== undefined) {
            const user = yield* config.lookupToken(token, engine)
            if (Option.isSome(user) && !user.value.disabled) return principalOf(user.value)
          }
          return yield* new ServerAuthentication.TokenRejected({ reason: "Invalid token." })
        })
    }

    // --- shared routes ----------------------------------------------------------------------

    let selfUrl = ""

    const publicInfo: Route = {
      auth: false,
      handler: () =>
        Effect.succeed(json(config.publicInfo({
          id,
          name: serverName,
          version,
          localAddress: options.localAddress ?? selfUrl,
          productName
        })))
    }

    const authenticateByName: Route = {
      auth: false,
      handler: ({ clientInfo, params }) =>
        Effect.gen(function*() {
          const info = yield* requireClientInfo(clientInfo)
          const name = params.get("Username") ?? ""
          const password = params.get("Pw") ?? ""
          const user = findUser(name)
          if (user === undefined || user.name.toLowerCase() !== name.toLowerCase()) {
            return text(401, "Invalid username or password entered.")
          }
          if (user.disabled) return text(401, "User account has been disabled.")
          if (user.password !== password) {
            const failedLogins = user.failedLogins + 1
            const limit = lockout === false ? undefined : user.isAdministrator ? lockout.administrator : lockout.user
            updateUser(user, { failedLogins, disabled: limit !== undefined && failedLogins >= limit })
            return text(401, "Invalid username or password entered.")
          }
          const signedIn = updateUser(user, { failedLogins: 0 })
          const device = yield* mintDeviceToken(signedIn, info)
          return json(authenticationResult(signedIn, device))
        }).pipe(Effect.merge)
    }

    const me: Route = {
      auth: true,
      handler: ({ auth }) =>
        Effect.sync(() => {
          const principal = auth?.principal
          if (principal === undefined || principal._tag !== "User") return text(400, "Current user cannot be determined.")
          const user = findUser(principal.userId)
          return user === undefined ? text(404, "User not found.") : json(userDto(user))
        })
    }

    const logout: Route = {
      auth: true,
      handler: ({ auth }) =>
        Effect.sync(() => {
          // SessionManager.Logout(token): revokes the device token; an API key is no session.
          if (auth !== undefined) {
            const token = Redacted.value(auth.credentials.token)
            devices = devices.filter((d) => d.token !== token)
          }
          return HttpServerResponse.empty({ status: 204 })
        })
    }

    /** `/System/Info`: any authenticated caller (user or API key). */
    const systemInfo: Route = {
      auth: true,
      handler: () =>
        Effect.succeed(json({
          ...(config.publicInfo({ id, name: serverName, version, localAddress: options.localAddress ?? selfUrl, productName }) as object),
          OperatingSystemDisplayName: "Linux",
          HasPendingRestart: false
        }))
    }

    const routes: Record<string, Route> = {
      "GET /system/info/public": publicInfo,
      "GET /system/info": systemInfo,
      "POST /users/authenticatebyname": authenticateByName,
      "GET /users/me": me,
      "POST /sessions/logout": logout,
      ...config.routes(engine)
    }

    const routeOf = (pathname: string): string | undefined => {
      const lower = pathname.toLowerCase().replace(/\/+$/, "")
      if (config.rootPaths?.includes(lower) === true) return lower
      for (const prefix of config.prefixes) {
        if (prefix === "") return lower === "" ? "/" : lower
        if (lower.startsWith(`${prefix}/`)) return lower.slice(prefix.length)
      }
      return undefined
    }

    /** The client fields of a request as the profile takes them (Emby: the scheme header's, else its separate X-Emby-* values). */
    const clientInfoOf = (request: HttpServerRequest.HttpServerRequest): ClientInfo.Partial =>
      Credentials.inspect(request, { profile: config.profile, legacy }).clientInfo

    // A function: the legacy switch can be turned while the server runs.
    const authenticate = () =>
      ServerAuthentication.authenticate({ profile: config.profile, legacy }).pipe(
        Effect.provideService(ServerAuthentication.TokenValidator, validator)
      )

    /** AuthorizationContext's bookkeeping for an authenticated request: device rewrite, API key identity. */
    const requestor = (auth: ServerAuthentication.Authenticated, clientInfo: ClientInfo.Partial): ClientInfo.Partial => {
      const token = Redacted.value(auth.credentials.token)
      const device = devices.find((d) => d.token === token)
      if (device !== undefined) {
        const client = clientInfo.client === undefined || clientInfo.client.trim() === "" ? device.client : clientInfo.client
        const differs = (sent: string | undefined, stored: string) =>
          sent !== undefined && sent.trim() !== "" && sent.toLowerCase() !== stored.toLowerCase()
        if (
          config.rewritesDeviceRecord && !client.toLowerCase().includes("chromecast") &&
          (differs(clientInfo.device, device.device) || differs(clientInfo.version, device.version))
        ) {
          const rewritten = {
            ...device,
            device: differs(clientInfo.device, device.device) ? clientInfo.device! : device.device,
            version: differs(clientInfo.version, device.version) ? clientInfo.version! : device.version
          }
          devices = devices.map((d) => d === device ? rewritten : d)
        }
        return { client, device: device.device, deviceId: device.deviceId, version: device.version, ...nonEmpty(clientInfo) }
      }
      if (auth.principal._tag === "ApiKey") {
        // An API key stands for the server itself: Client is the key's name, DeviceId the server id.
        return { device: serverName, deviceId: id, version, ...nonEmpty(clientInfo), client: auth.principal.name }
      }
      return clientInfo
    }

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://fake.invalid")
      const path = routeOf(url.pathname)
      const route = path === undefined ? undefined : routes[`${request.method} ${path}`]
      if (route === undefined) {
        // ASP.NET Core's endpoint routing: a known path asked with another method is 405.
        const otherMethod = config.methodNotAllowed && Object.keys(routes).some((key) => key.endsWith(` ${path}`))
        return otherMethod ? text(405, "Method Not Allowed") : text(404, "Not Found")
      }
      let clientInfo = clientInfoOf(request)
      let auth: ServerAuthentication.Authenticated | undefined
      if (route.auth) {
        const result = yield* Effect.either(authenticate())
        if (result._tag === "Left") {
          return route.unauthorized === undefined
            ? yield* HttpServerRespondable.toResponse(result.left)
            : route.unauthorized(result.left.reason)
        }
        auth = result.right
        clientInfo = requestor(auth, clientInfo)
      }
      const params = yield* Effect.either(Params.read)
      if (params._tag === "Left") return text(400, params.left.reason)
      return yield* route.handler({ request, params: params.right, auth, clientInfo })
    })

    const server = yield* Server.serve(app, {
      cors: config.profile !== "emby",
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host })
    })
    selfUrl = server.url

    const addUser = (seed: UserSeed) =>
      Effect.suspend(() => {
        const userId = seed.id ?? hex(16)
        if (findUser(userId) !== undefined || findUser(seed.name) !== undefined) {
          return Effect.fail(fail(`a user with id ${userId} or name ${seed.name} exists`))
        }
        const record: UserRecord = {
          id: userId,
          name: seed.name,
          password: seed.password,
          isAdministrator: seed.isAdministrator ?? false,
          ...(seed.connectUser === undefined ? {} : { connectUser: seed.connectUser }),
          disabled: false,
          failedLogins: 0
        }
        users = [...users, record]
        return Effect.succeed(record)
      })

    const addApiKey = (seed: ApiKeySeed) =>
      Effect.suspend(() => {
        const record = { name: seed.name, key: seed.key ?? hex(16) }
        if (apiKeys.some((k) => k.key === record.key)) return Effect.fail(fail(`the API key for ${seed.name} exists`))
        apiKeys = [...apiKeys, record]
        return Effect.succeed(record)
      })

    for (const seed of options.users ?? []) yield* addUser(seed)
    for (const seed of options.apiKeys ?? []) yield* addApiKey(seed)

    const apiUrl = config.prefixes.includes("") ? server.url : `${server.url}${config.prefixes[0]}`
    const discovery = options.discovery === undefined ? undefined : yield* Discovery.make({
      ...options.discovery,
      entries: [{ product: config.product, address: options.localAddress ?? server.url, id, name: serverName }]
    })

    const defaultClient: ClientInfo.ClientInfo = {
      client: "mbauth-fake",
      version: "0.1.0",
      device: "fake device",
      deviceId: "fake-device"
    }

    return {
      product: config.product,
      profile: config.profile,
      url: server.url,
      apiUrl,
      id,
      serverName,
      version,
      server,
      faults: server.faults,
      requests: server.requests,
      legacy: Effect.sync(() => legacy),
      setLegacy: (next) =>
        Effect.sync(() => {
          legacy = ServerAuthentication.resolveLegacy(config.profile, next)
        }),
      addUser,
      users: Effect.sync(() => users.slice()),
      setDisabled: (key, disabled) =>
        Effect.suspend(() => {
          const user = findUser(key)
          if (user === undefined) return Effect.fail(fail(`no user ${key}`))
          updateUser(user, disabled ? { disabled } : { disabled, failedLogins: 0 })
          return Effect.void
        }),
      addApiKey,
      apiKeys: Effect.sync(() => apiKeys.slice()),
      devices: Effect.sync(() => devices.slice()),
      tokens: Effect.sync(() => minted.slice()),
      signIn: (key, info) =>
        Effect.suspend(() => {
          const user = findUser(key)
          if (user === undefined) return Effect.fail(fail(`no user ${key}`))
          return Effect.map(mintDeviceToken(user, info ?? defaultClient), (d) => d.token)
        }),
      revoke: (token) =>
        Effect.sync(() => {
          const before = devices.length
          devices = devices.filter((d) => d.token !== token)
          return devices.length < before
        }),
      tokenOwner: (token) => Effect.sync(() => Option.fromNullable(devices.find((d) => d.token === token)?.userId)),
      discovery,
      engine
    }
  })
