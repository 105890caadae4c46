/**
 * A fake Jellyfin server (profiles `jellyfin-10.10`, `jellyfin-10.11`, `jellyfin-12`; legacy switch
 * configurable) on top of the shared fake media server. What differs between releases
 * (`packages/core/docs/jellyfin-12-and-emby-4.9.md` has the sources):
 * - 10.10 and 10.11 strip a leading `/emby` or `/mediabrowser` from every path
 *   (`LegacyEmbyRouteRewriteMiddleware`); 12.0 removed that, so those paths are 404;
 * - 10.10 and 10.11 also answer `GET /QuickConnect/Initiate`; 12.0 only `POST`.
 *
 * Every release: a device token sent with another `Device` or `Version` rewrites the stored device
 * record (`GET /Devices` shows it), `/socket` (see `sessionSocket.ts`), and Quick Connect as
 * Jellyfin's `QuickConnectController` / `QuickConnectManager` behave:
 * - `GET /QuickConnect/Enabled` → `true` / `false`;
 * - `POST /QuickConnect/Initiate` (client fields required) → `{ Secret, Code, Authenticated, … }`,
 *   401 while Quick Connect is off;
 * - `GET /QuickConnect/Connect?secret=` → the request's state; 404 once it expired (10 minutes) or
 *   was used;
 * - `POST /QuickConnect/Authorize?code=[&userId=]` (signed in) → `true`; 404 for an unknown code;
 * - `POST /Users/AuthenticateWithQuickConnect` `{ Secret }` (client fields required) → a session for
 *   the authorizing user on the requesting device; 404 unknown secret, 401 not authorized yet.
 *
 * @internal
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as ServerAuthentication from "@mbauth/core/ServerAuthentication"
import { randomBytes, randomInt } from "node:crypto"
import type * as Discovery from "./discoveryResponder.js"
import * as Engine from "./fakeMediaServer.js"
import * as SessionSocket from "./sessionSocket.js"

/** Options of a fake Jellyfin server. */
export interface FakeJellyfinOptions extends Engine.CommonOptions {
  /** Default `jellyfin-10.11`. */
  readonly profile?: "jellyfin-10.10" | "jellyfin-10.11" | "jellyfin-12" | undefined
  /** `EnableLegacyAuthorization`; default the profile's (10.11: on, 12: off). */
  readonly legacy?: boolean | undefined
  /** Default true. */
  readonly quickConnect?: boolean | undefined
  /** How long a Quick Connect request lives; default 10 minutes (Jellyfin's). */
  readonly quickConnectLifetime?: Duration.DurationInput | undefined
  /** What `/socket`'s `ForceKeepAlive` announces, in seconds; default 60 (Jellyfin's). */
  readonly socketLostTimeout?: number | undefined
}

/** A Quick Connect request held by the fake. */
export interface QuickConnectRecord {
  readonly code: string
  readonly secret: string
  readonly deviceId: string
  readonly deviceName: string
  readonly appName: string
  readonly appVersion: string
  readonly createdAt: number
  /** The user who authorized it. */
  readonly authorizedBy?: string | undefined
  readonly expired: boolean
}

/** A running fake Jellyfin server. */
export interface FakeJellyfinServer extends Engine.FakeMediaServer {
  readonly product: "Jellyfin"
  /** The user's step in an app where they are signed in: authorize a live code as this user. */
  readonly authorizeQuickConnect: (code: string, user: string) => Effect.Effect<void, Engine.FakeServerError>
  /** Expires a request now (the server then forgets it). */
  readonly expireQuickConnect: (code: string) => Effect.Effect<void, Engine.FakeServerError>
  readonly quickConnectRequests: Effect.Effect<ReadonlyArray<QuickConnectRecord>>
  readonly setQuickConnectEnabled: (enabled: boolean) => Effect.Effect<void>
  readonly quickConnectEnabled: Effect.Effect<boolean>
  /** The `/socket` connections. */
  readonly sockets: SessionSocket.SessionSockets
}

const VERSIONS = { "jellyfin-10.10": "10.10.7", "jellyfin-10.11": "10.11.11", "jellyfin-12": "12.0.0" } as const

const now = Clock.make().currentTimeMillis

/** Administrators and API keys (which Jellyfin gives the administrator role). */
const isAdministrator = (auth: ServerAuthentication.Authenticated | undefined) =>
  auth !== undefined && (auth.principal._tag === "ApiKey" || auth.principal.isAdministrator === true)

/** Starts a fake Jellyfin server for the scope. */
export const make = (
  options: FakeJellyfinOptions = {}
): Effect.Effect<
  FakeJellyfinServer,
  HttpServerError.ServeError | Engine.FakeServerError | Discovery.DiscoveryResponderError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const profile = options.profile ?? "jellyfin-10.11"
    const lifetime = Duration.toMillis(Duration.decode(options.quickConnectLifetime ?? Duration.minutes(10)))
    let enabled = options.quickConnect ?? true
    let requests: Array<QuickConnectRecord> = []

    const fail = (message: string) => new Engine.FakeServerError({ message })

    /** Drops expired requests, as QuickConnectManager.ExpireRequests does on every call. */
    const live = Effect.map(now, (at) => {
      requests = requests.filter((r) => !r.expired && at - r.createdAt < lifetime)
      return requests
    })

    const update = (target: QuickConnectRecord, change: Partial<QuickConnectRecord>) => {
      requests = requests.map((r) => r === target ? { ...r, ...change } : r)
    }

    const stateOf = (r: QuickConnectRecord) => ({
      Authenticated: r.authorizedBy !== undefined,
      Secret: r.secret,
      Code: r.code,
      DeviceId: r.deviceId,
      DeviceName: r.deviceName,
      AppName: r.appName,
      AppVersion: r.appVersion,
      DateAdded: new Date(r.createdAt).toISOString()
    })

    const disabled = Engine.text(401, "Quick connect is disabled")
    const legacyRelease = profile !== "jellyfin-12"
    const sockets = SessionSocket.make(options.socketLostTimeout ?? 60)

    const initiate = (engine: Engine.Engine): Engine.Route => ({
      auth: false,
      handler: ({ clientInfo }) =>
          Effect.gen(function*() {
            if (!enabled) return disabled
            const info = yield* engine.requireClientInfo(clientInfo)
            const current = yield* live
            let code = String(randomInt(0, 1_000_000)).padStart(6, "0")
            while (current.some((r) => r.code === code)) code = String(randomInt(0, 1_000_000)).padStart(6, "0")
            const record: QuickConnectRecord = {
              code,
              secret: randomBytes(32).toString("hex"),
              deviceId: info.deviceId,
              deviceName: info.device,
              appName: info.client,
              appVersion: info.version,
              createdAt: yield* now,
              expired: false
            }
            requests = [...requests, record]
            return Engine.json(stateOf(record))
          }).pipe(Effect.merge)
    })

    const routes = (engine: Engine.Engine): Record<string, Engine.Route> => ({
      "GET /quickconnect/enabled": { auth: false, handler: () => Effect.sync(() => Engine.json(enabled)) },
      "POST /quickconnect/initiate": initiate(engine),
      ...(legacyRelease ? { "GET /quickconnect/initiate": initiate(engine) } : {}),
      "GET /socket": {
        auth: true,
        // SecurityException("Token is required" / "Invalid token."): 403, and outside a development
        // environment ExceptionMiddleware hides the message.
        unauthorized: () => Engine.text(403, "Error processing request."),
        handler: ({ auth, request }) =>
          sockets.serve(request, auth?.principal._tag === "User" ? auth.principal.userId : auth?.principal.name ?? "")
      },
      "GET /devices": {
        auth: true,
        handler: ({ auth }) =>
          Effect.sync(() => {
            if (!isAdministrator(auth)) return Engine.text(403, "Forbidden")
            const items = engine.devices().map((d) => ({
              Id: d.deviceId,
              Name: d.device,
              AppName: d.client,
              AppVersion: d.version,
              LastUserId: d.userId,
              LastUserName: engine.findUser(d.userId)?.name ?? "",
              DateLastActivity: new Date(d.createdAt).toISOString()
            }))
            return Engine.json({ Items: items, TotalRecordCount: items.length, StartIndex: 0 })
          })
      },
      "GET /quickconnect/connect": {
        auth: false,
        handler: ({ params }) =>
          Effect.map(live, (current) => {
            if (!enabled) return disabled
            const record = current.find((r) => r.secret === params.get("secret"))
            return record === undefined ? Engine.text(404, "Unknown secret") : Engine.json(stateOf(record))
          })
      },
      "POST /quickconnect/authorize": {
        auth: true,
        handler: ({ auth, params }) =>
          Effect.map(live, (current) => {
            if (!enabled) return disabled
            const principal = auth?.principal
            // Only administrators may authorize for another user; an API key has no user of its own.
            const requested = params.get("userId")
            const userId = principal?._tag === "User"
              ? requested !== undefined && principal.isAdministrator === true ? requested : principal.userId
              : requested
            const user = userId === undefined ? undefined : engine.findUser(userId)
            if (user === undefined) return Engine.text(400, "A user is required.")
            const record = current.find((r) => r.code === params.get("code"))
            if (record === undefined) return Engine.text(404, "Unable to find request")
            // InvalidOperationException("Request is already authorized"): 500 through ExceptionMiddleware.
            if (record.authorizedBy !== undefined) return Engine.text(500, "Error processing request.")
            update(record, { authorizedBy: user.id })
            return Engine.json(true)
          })
      },
      "POST /users/authenticatewithquickconnect": {
        auth: false,
        handler: ({ clientInfo, params }) =>
          Effect.gen(function*() {
            if (!enabled) return Engine.text(401, "Quick connect is not enabled on this server.")
            const info = yield* engine.requireClientInfo(clientInfo)
            const record = (yield* live).find((r) => r.secret === params.get("Secret"))
            if (record === undefined) return Engine.text(404, "Unable to find request")
            if (record.authorizedBy === undefined) return Engine.text(401, "Request is not authorized")
            const user = engine.findUser(record.authorizedBy)
            if (user === undefined || user.disabled) return Engine.text(401, "User account has been disabled.")
            // A request signs in once.
            requests = requests.filter((r) => r !== record)
            const device = yield* engine.mintDeviceToken(user, info)
            return Engine.json(engine.authenticationResult(user, device))
          }).pipe(Effect.merge)
      }
    })

    const base = yield* Engine.make({
      product: "Jellyfin",
      profile,
      legacy: options.legacy,
      defaultVersion: VERSIONS[profile],
      defaultName: `Jellyfin ${VERSIONS[profile]}`,
      defaultProductName: "Jellyfin Server",
      // Jellyfin's default when the policy says -1: 3 for users, 5 for administrators.
      defaultLockout: { user: 3, administrator: 5 },
      prefixes: legacyRelease ? ["/emby", "/mediabrowser", ""] : [""],
      methodNotAllowed: true,
      rewritesDeviceRecord: true,
      publicInfo: ({ id, localAddress, name, productName, version }) => ({
        LocalAddress: localAddress,
        ServerName: name,
        Version: version,
        ...(productName === null ? {} : { ProductName: productName }),
        OperatingSystem: "",
        Id: id,
        StartupWizardCompleted: true
      }),
      routes
    }, options)
    const { engine: _engine, ...server } = base
    // Runs before the HTTP server closes (finalizers run in reverse): Node's server.close() does not
    // end upgraded connections, so an open socket would keep it waiting.
    yield* Effect.addFinalizer(() => sockets.closeAll)

    return {
      ...server,
      product: "Jellyfin",
      authorizeQuickConnect: (code, userKey) =>
        Effect.flatMap(live, (current) => {
          const record = current.find((r) => r.code === code)
          const user = base.engine.findUser(userKey)
          if (record === undefined) return Effect.fail(fail(`no live Quick Connect code ${code}`))
          if (user === undefined) return Effect.fail(fail(`no user ${userKey}`))
          update(record, { authorizedBy: user.id })
          return Effect.void
        }),
      expireQuickConnect: (code) =>
        Effect.suspend(() => {
          const record = requests.find((r) => r.code === code && !r.expired)
          if (record === undefined) return Effect.fail(fail(`no Quick Connect code ${code}`))
          update(record, { expired: true })
          return Effect.void
        }),
      quickConnectRequests: live,
      setQuickConnectEnabled: (next) =>
        Effect.sync(() => {
          enabled = next
        }),
      quickConnectEnabled: Effect.sync(() => enabled),
      sockets
    } satisfies FakeJellyfinServer
  })
