/**
 * A fake Emby Connect service, as faithful to the real one as core's `docs/emby-connect.md` ("Real behaviour versus the documentation")
 * allows. Where the real behaviour is unknown the fake is strict, so client bugs show up:
 * - every call but `pin/confirm` (the website's) must send `X-Application` (else 400);
 * - user calls need a live `X-Connect-UserToken` (else 401); `servers?userId=` must name the
 *   token's own user (else 403);
 * - a PIN can be exchanged once, only when confirmed and not expired (else 400);
 * - login failures answer 401 (configurable to 404, which the real service was seen to send).
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { createHash, randomBytes, randomInt } from "node:crypto"
import * as Params from "./params.js"
import * as Server from "./server.js"

/** A Connect account to create. */
export interface ConnectUserSeed {
  /** Default: the next numeric id. */
  readonly id?: string | undefined
  readonly name: string
  readonly email: string
  readonly password: string
  /** Absent on some real accounts (KODI 51644ea3). */
  readonly displayName?: string | undefined
  readonly imageUrl?: string | undefined
}

/** A user's link to a server. */
export interface LinkSeed {
  /** The user's id, name or e-mail. */
  readonly user: string
  /** Default `LinkedUser`. */
  readonly userType?: "LinkedUser" | "Guest" | undefined
  /** The exchange key; default random. */
  readonly accessKey?: string | undefined
  /** `Waiting` = an invitation not accepted yet; default `Active`. */
  readonly status?: "Active" | "Waiting" | undefined
}

/** An Emby server registered with Connect. */
export interface ConnectServerSeed {
  /** Connect's record id; default the next numeric id. */
  readonly id?: string | undefined
  /** The server's own Id (as in `/System/Info/Public`); default random 32 hex digits. */
  readonly systemId?: string | undefined
  readonly name: string
  /** Remote (WAN) URL. */
  readonly url?: string | undefined
  readonly localAddress?: string | undefined
  readonly users?: ReadonlyArray<LinkSeed> | undefined
}

/** Options of {@link make}. */
export interface Options {
  readonly users?: ReadonlyArray<ConnectUserSeed> | undefined
  readonly servers?: ReadonlyArray<ConnectServerSeed> | undefined
  /** How long a PIN stays valid; default 10 minutes (the real TTL is undocumented). */
  readonly pinLifetime?: Duration.DurationInput | undefined
  /** Status of a failed login; default 401. */
  readonly loginFailureStatus?: 401 | 404 | undefined
  /** Port; default a free one. */
  readonly port?: number | undefined
  readonly host?: string | undefined
  /** PIN generator; default 5 random digits (leading zeros kept). */
  readonly nextPin?: (() => string) | undefined
}

/** A Connect account. */
export interface ConnectUserRecord {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly password: string
  readonly displayName?: string | undefined
  readonly imageUrl?: string | undefined
}

/** A registered server. */
export interface ConnectServerRecord {
  readonly id: string
  readonly systemId: string
  readonly name: string
  readonly url?: string | undefined
  readonly localAddress?: string | undefined
}

/** A user's link to a server. */
export interface LinkRecord {
  readonly serverId: string
  readonly userId: string
  readonly userType: "LinkedUser" | "Guest"
  readonly accessKey: string
  readonly status: "Active" | "Waiting"
}

/** A PIN as the fake holds it. */
export interface PinRecord {
  readonly pin: string
  readonly deviceId: string
  readonly createdAt: number
  readonly confirmedBy?: string | undefined
  readonly expired: boolean
  readonly exchanged: boolean
}

/** What an AccessKey grants, for a fake Emby server's `/Connect/Exchange`. */
export interface AccessKeyGrant {
  readonly connectUserId: string
  readonly connectUserName: string
  readonly email: string
  readonly userType: "LinkedUser" | "Guest"
  /** Connect's record id of the server. */
  readonly connectServerId: string
  readonly systemId: string
}

/** A programmatic call on the fake was invalid (unknown user, PIN, server …). */
export class FakeConnectError extends Data.TaggedError("FakeConnectError")<{ readonly message: string }> {}

/** A running fake Emby Connect service. */
export interface FakeEmbyConnectService {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** The base URL for clients: `<url>/service/`. */
  readonly serviceUrl: string
  readonly server: Server.FakeServer
  readonly faults: Server.FakeServer["faults"]
  readonly requests: Server.RequestLog
  readonly addUser: (seed: ConnectUserSeed) => Effect.Effect<ConnectUserRecord, FakeConnectError>
  readonly addServer: (seed: ConnectServerSeed) => Effect.Effect<ConnectServerRecord, FakeConnectError>
  /** Links a user to a server (by system id or Connect id); returns the link with its AccessKey. */
  readonly link: (server: string, link: LinkSeed) => Effect.Effect<LinkRecord, FakeConnectError>
  /** The user's step on the website: confirm a live PIN as this user (id, name or e-mail). */
  readonly confirmPin: (pin: string, user: string) => Effect.Effect<void, FakeConnectError>
  /** Marks a PIN expired now. */
  readonly expirePin: (pin: string) => Effect.Effect<void, FakeConnectError>
  readonly pins: Effect.Effect<ReadonlyArray<PinRecord>>
  /** Signs a user in without HTTP; returns a fresh token. */
  readonly signIn: (user: string) => Effect.Effect<string, FakeConnectError>
  /** The user id a token belongs to, if the token is live. */
  readonly tokenOwner: (token: string) => Effect.Effect<Option.Option<string>>
  /** Every token ever minted, revoked ones included (for tests that look for leaked tokens). */
  readonly tokens: Effect.Effect<ReadonlyArray<string>>
  /** Resolves an AccessKey for a server (system id): what a fake Emby server's exchange checks. */
  readonly resolveAccessKey: (systemId: string, accessKey: string) => Effect.Effect<Option.Option<AccessKeyGrant>>
  readonly users: Effect.Effect<ReadonlyArray<ConnectUserRecord>>
}

// The fake lives on real time even when the caller runs on a TestClock (PIN lifetimes, tokens).
const liveClock = Clock.make()
const now = liveClock.currentTimeMillis

const hex = (bytes: number) => randomBytes(bytes).toString("hex")

/** The legacy Connect password hash: MD5 over the pre-hash-filtered password (§1.1). */
export const legacyPasswordHash = (password: string): string => {
  const filtered = password
    .replace(/&/g, "&amp;")
    .replace(/\//g, "&#092;")
    .replace(/!/g, "&#33;")
    .replace(/\$/g, "&#036;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/'/g, "&#39;")
  return createHash("md5").update(filtered, "utf8").digest("hex")
}

const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })
const empty = (status: number) => HttpServerResponse.empty({ status })
const message = (status: number, text: string) => HttpServerResponse.text(text, { status })

const wireUser = (user: ConnectUserRecord) => ({
  Id: user.id,
  Name: user.name,
  DisplayName: user.displayName ?? null,
  Email: user.email,
  // A string, as the real service sends it (Swift sample; SEERR types it string).
  IsActive: "true",
  ImageUrl: user.imageUrl ?? null
})

/** Starts a fake Emby Connect service for the scope. */
export const make = (
  options: Options = {}
): Effect.Effect<FakeEmbyConnectService, HttpServerError.ServeError | FakeConnectError, Scope.Scope> =>
  Effect.gen(function*() {
    const pinLifetime = Duration.toMillis(Duration.decode(options.pinLifetime ?? Duration.minutes(10)))
    const loginFailureStatus = options.loginFailureStatus ?? 401
    const nextPin = options.nextPin ?? (() => String(randomInt(0, 100_000)).padStart(5, "0"))
    let nextUserId = 79718
    let nextServerId = 5001

    const users = new Map<string, ConnectUserRecord>()
    const servers = new Map<string, ConnectServerRecord>()
    let links: Array<LinkRecord> = []
    const tokens = new Map<string, string>()
    const minted: Array<string> = []
    let pins: Array<PinRecord> = []

    const fail = (text: string) => new FakeConnectError({ message: text })

    const findUser = (key: string): ConnectUserRecord | undefined => {
      const byId = users.get(key)
      if (byId !== undefined) return byId
      const lower = key.toLowerCase()
      for (const user of users.values()) {
        if (user.name.toLowerCase() === lower || user.email.toLowerCase() === lower) return user
      }
      return undefined
    }

    const findServer = (key: string): ConnectServerRecord | undefined => {
      const byId = servers.get(key)
      if (byId !== undefined) return byId
      for (const server of servers.values()) if (server.systemId.toLowerCase() === key.toLowerCase()) return server
      return undefined
    }

    const isExpired = (pin: PinRecord, at: number) => pin.expired || at - pin.createdAt >= pinLifetime

    const updatePin = (target: PinRecord, change: Partial<PinRecord>) => {
      pins = pins.map((p) => p === target ? { ...p, ...change } : p)
    }

    const mintToken = (userId: string) => {
      const token = hex(16)
      tokens.set(token, userId)
      minted.push(token)
      return token
    }

    const addUser = (seed: ConnectUserSeed) =>
      Effect.suspend(() => {
        let id = seed.id
        while (id === undefined || (seed.id === undefined && users.has(id))) id = String(nextUserId++)
        if (users.has(id) || findUser(seed.name) !== undefined || findUser(seed.email) !== undefined) {
          return Effect.fail(fail(`a Connect user with id ${id}, name ${seed.name} or e-mail ${seed.email} exists`))
        }
        const record: ConnectUserRecord = { ...seed, id }
        users.set(id, record)
        return Effect.succeed(record)
      })

    const link = (serverKey: string, seed: LinkSeed) =>
      Effect.suspend(() => {
        const server = findServer(serverKey)
        const user = findUser(seed.user)
        if (server === undefined) return Effect.fail(fail(`no server ${serverKey}`))
        if (user === undefined) return Effect.fail(fail(`no Connect user ${seed.user}`))
        const record: LinkRecord = {
          serverId: server.id,
          userId: user.id,
          userType: seed.userType ?? "LinkedUser",
          accessKey: seed.accessKey ?? hex(16),
          status: seed.status ?? "Active"
        }
        links = [...links.filter((l) => !(l.serverId === server.id && l.userId === user.id)), record]
        return Effect.succeed(record)
      })

    const addServer = (seed: ConnectServerSeed) =>
      Effect.gen(function*() {
        let id = seed.id
        while (id === undefined || (seed.id === undefined && servers.has(id))) id = String(nextServerId++)
        const systemId = seed.systemId ?? hex(16)
        if (servers.has(id) || findServer(systemId) !== undefined) {
          return yield* fail(`a server with id ${id} or system id ${systemId} exists`)
        }
        const record: ConnectServerRecord = {
          id,
          systemId,
          name: seed.name,
          ...(seed.url === undefined ? {} : { url: seed.url }),
          ...(seed.localAddress === undefined ? {} : { localAddress: seed.localAddress })
        }
        servers.set(id, record)
        for (const l of seed.users ?? []) yield* link(id, l)
        return record
      })

    const livePin = (code: string, at: number) => pins.find((p) => p.pin === code && !p.exchanged && !isExpired(p, at))

    const confirmPin = (code: string, userKey: string) =>
      Effect.flatMap(now, (at) => {
        const user = findUser(userKey)
        const pin = livePin(code, at)
        if (user === undefined) return Effect.fail(fail(`no Connect user ${userKey}`))
        if (pin === undefined) return Effect.fail(fail(`no live PIN ${code}`))
        updatePin(pin, { confirmedBy: user.id })
        return Effect.void
      })

    // --- HTTP ------------------------------------------------------------------------------

    type Handler = (
      params: Params.Params,
      request: HttpServerRequest.HttpServerRequest
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse>

    const tokenUser = (request: HttpServerRequest.HttpServerRequest): ConnectUserRecord | undefined => {
      const token = request.headers["x-connect-usertoken"]
      const userId = token === undefined ? undefined : tokens.get(token)
      return userId === undefined ? undefined : users.get(userId)
    }

    const authenticate: Handler = (params) =>
      Effect.sync(() => {
        const key = params.get("nameOrEmail")
        const user = key === undefined ? undefined : findUser(key)
        const rawpw = params.get("rawpw")
        const legacy = params.get("password")
        const ok = user !== undefined && (
          (rawpw !== undefined && rawpw === user.password) ||
          (rawpw === undefined && legacy !== undefined &&
            legacy.toLowerCase() === legacyPasswordHash(user.password))
        )
        if (!ok || user === undefined) return empty(loginFailureStatus)
        return json({ AccessToken: mintToken(user.id), User: wireUser(user) })
      })

    const getUser: Handler = (params, request) =>
      Effect.sync(() => {
        if (tokenUser(request) === undefined) return empty(401)
        // ECS precedence: id > nameOrEmail > name > email.
        const key = params.get("id") ?? params.get("nameOrEmail") ?? params.get("name") ?? params.get("email")
        const user = key === undefined ? undefined : findUser(key)
        return user === undefined ? empty(404) : json(wireUser(user))
      })

    const logout: Handler = (_, request) =>
      Effect.sync(() => {
        const token = request.headers["x-connect-usertoken"]
        if (token === undefined || !tokens.delete(token)) return empty(401)
        return empty(200)
      })

    const listServers: Handler = (params, request) =>
      Effect.sync(() => {
        const user = tokenUser(request)
        if (user === undefined) return empty(401)
        const userId = params.get("userId")
        if (userId === undefined) return message(400, "userId is required")
        if (userId !== user.id) return empty(403)
        const status = params.get("status")?.toLowerCase() === "waiting" ? "Waiting" : "Active"
        const out = links
          .filter((l) => l.userId === user.id && l.status === status)
          .flatMap((l) => {
            const server = servers.get(l.serverId)
            return server === undefined ? [] : [{
              Id: server.id,
              Url: server.url ?? null,
              Name: server.name,
              SystemId: server.systemId,
              AccessKey: l.accessKey,
              LocalAddress: server.localAddress ?? null,
              UserType: l.userType,
              SupporterKey: ""
            }]
          })
        return json(out)
      })

    const createPin: Handler = (params) =>
      Effect.map(now, (at) => {
        const deviceId = params.get("deviceId")
        if (deviceId === undefined || deviceId === "") return message(400, "deviceId is required")
        let code = nextPin()
        for (let i = 0; i < 20 && livePin(code, at) !== undefined; i++) code = nextPin()
        pins = [...pins, { pin: code, deviceId, createdAt: at, expired: false, exchanged: false }]
        return json({ Id: null, Pin: code, DeviceId: deviceId, IsExpired: false, IsConfirmed: false, AccessToken: null })
      })

    const findPin = (params: Params.Params) => {
      const deviceId = params.get("deviceId")
      const code = params.get("pin")
      return pins.find((p) => p.deviceId === deviceId && p.pin === code)
    }

    const pinStatus: Handler = (params) =>
      Effect.map(now, (at) => {
        const pin = findPin(params)
        if (pin === undefined) return empty(404)
        return json({
          Id: null,
          Pin: pin.pin,
          IsConfirmed: pin.confirmedBy !== undefined,
          IsExpired: isExpired(pin, at),
          AccessToken: null
        })
      })

    const exchangePin: Handler = (params) =>
      Effect.map(now, (at) => {
        const pin = findPin(params)
        if (pin === undefined) return empty(404)
        if (pin.exchanged) return message(400, "PIN already used")
        if (isExpired(pin, at)) return message(400, "PIN expired")
        if (pin.confirmedBy === undefined) return message(400, "PIN not confirmed")
        updatePin(pin, { exchanged: true })
        return json({ UserId: pin.confirmedBy, AccessToken: mintToken(pin.confirmedBy) })
      })

    const confirmByWebsite: Handler = (params, request) =>
      Effect.gen(function*() {
        const user = tokenUser(request)
        if (user === undefined) return empty(401)
        if (params.get("userId") !== user.id) return empty(403)
        const code = params.get("pin")
        if (code === undefined) return message(400, "pin is required")
        return yield* confirmPin(code, user.id).pipe(
          Effect.as(empty(200)),
          Effect.catchAll(() => Effect.succeed(empty(404)))
        )
      })

    const routes: Record<string, Handler> = {
      "POST /service/user/authenticate": authenticate,
      "GET /service/user": getUser,
      "POST /service/user/logout": logout,
      "GET /service/servers": listServers,
      "POST /service/pin": createPin,
      "GET /service/pin": pinStatus,
      "POST /service/pin/authenticate": exchangePin,
      "POST /service/pin/confirm": confirmByWebsite
    }

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      // ServiceStack routes are case-insensitive and ignore a trailing slash.
      const path = new URL(request.url, "http://fake.invalid").pathname.toLowerCase().replace(/\/+$/, "")
      const key = `${request.method} ${path}`
      const handler = routes[key]
      if (handler === undefined) return empty(404)
      const application = request.headers["x-application"] ?? ""
      if (key !== "POST /service/pin/confirm" && !/^[^/]+\/.+$/.test(application)) {
        return message(400, "X-Application header (AppName/AppVersion) is required")
      }
      const params = yield* Effect.either(Params.read)
      if (params._tag === "Left") return message(400, params.left.reason)
      return yield* handler(params.right, request)
    })

    const server = yield* Server.serve(app, {
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host })
    })

    for (const seed of options.users ?? []) yield* addUser(seed)
    for (const seed of options.servers ?? []) yield* addServer(seed)

    return {
      url: server.url,
      serviceUrl: `${server.url}/service/`,
      server,
      faults: server.faults,
      requests: server.requests,
      addUser,
      addServer,
      link,
      confirmPin,
      expirePin: (code) =>
        Effect.suspend(() => {
          const pin = pins.find((p) => p.pin === code && !p.expired)
          if (pin === undefined) return Effect.fail(fail(`no PIN ${code}`))
          updatePin(pin, { expired: true })
          return Effect.void
        }),
      pins: Effect.sync(() => pins.slice()),
      signIn: (userKey) =>
        Effect.suspend(() => {
          const user = findUser(userKey)
          return user === undefined ? Effect.fail(fail(`no Connect user ${userKey}`)) : Effect.succeed(mintToken(user.id))
        }),
      tokenOwner: (token) => Effect.sync(() => Option.fromNullable(tokens.get(token))),
      tokens: Effect.sync(() => minted.slice()),
      resolveAccessKey: (systemId, accessKey) =>
        Effect.sync(() => {
          const server = findServer(systemId)
          const grant = server === undefined
            ? undefined
            : links.find((l) => l.serverId === server.id && l.accessKey === accessKey && l.status === "Active")
          const user = grant === undefined ? undefined : users.get(grant.userId)
          return grant === undefined || user === undefined || server === undefined
            ? Option.none()
            : Option.some({
              connectUserId: user.id,
              connectUserName: user.name,
              email: user.email,
              userType: grant.userType,
              connectServerId: server.id,
              systemId: server.systemId
            })
        }),
      users: Effect.sync(() => [...users.values()])
    } satisfies FakeEmbyConnectService
  })
