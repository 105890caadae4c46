/**
 * The signing-in operations behind `connect`, `server`, `get` and `sandbox --tour`: each one reads
 * and writes the credential store and talks to the servers through core's clients. They return
 * data; the commands decide how to print it. Secrets stay `Redacted` throughout.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as KeyValueStore from "@effect/platform/KeyValueStore"
import type * as ClientInfo from "@mbauth/core/ClientInfo"
import type * as ClientError from "@mbauth/core/ClientError"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import { CredentialStore } from "@mbauth/core/CredentialStore"
import type * as Credentials from "@mbauth/core/CredentialStore"
import * as DeviceId from "@mbauth/core/DeviceId"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import type { ProfileName } from "@mbauth/core/Credentials"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as RequestSigning from "@mbauth/core/RequestSigning"
import * as ServerPath from "@mbauth/core/ServerPath"
import * as TransportSafety from "@mbauth/core/TransportSafety"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { hostname } from "node:os"
import * as CliError from "../../CliError.js"
import { type Services, installIdKey, Session } from "./env.js"
import * as SignIn from "./signIn.js"

/** mbauth's identity towards servers (`X-Application`, `Client`, `Version`). @internal */
export const appName = "mbauth"
/** Kept equal to the package version by the CLI's version test. @internal */
export const appVersion = "0.1.0"

const deviceName = (): string => {
  const name = hostname().trim()
  return name === "" ? "mbauth" : name
}

/** The client identity for one user: Jellyfin keeps one token per (DeviceId, user). @internal */
export const clientInfoFor = (userName: string): Effect.Effect<ClientInfo.ClientInfo, CliError.CommandFailed, KeyValueStore.KeyValueStore> =>
  Effect.map(
    Effect.mapError(DeviceId.forUser(userName, { key: installIdKey }), (error) =>
      new CliError.CommandFailed({ code: "DeviceIdError", message: error.message })),
    (deviceId) => ({ client: appName, version: appVersion, device: deviceName(), deviceId })
  )

// ---------------------------------------------------------------------------------------------
// Emby Connect
// ---------------------------------------------------------------------------------------------

const connectClient = Effect.gen(function*() {
  const session = yield* Session
  return yield* EmbyConnect.make({ appName, appVersion, baseUrl: session.connectUrl, allowInsecure: session.allowInsecure }).pipe(
    Effect.mapError((error) =>
      new CliError.UsageError({ message: `MBAUTH_CONNECT_URL is not usable: ${error.message}` })
    )
  )
})

const notSignedInToConnect = new CliError.CommandFailed({
  code: "NotSignedIn",
  message: "not signed in to Emby Connect",
  hint: "sign in with: mbauth connect login (or mbauth connect pin)"
})

const connectIdentity = Effect.flatMap(CredentialStore, (store) => store.get).pipe(
  Effect.flatMap((credentials) =>
    credentials.connect === undefined ? Effect.fail(notSignedInToConnect) : Effect.succeed(credentials.connect)
  )
)

/** `connect login`: signs in and saves the Connect identity. @internal */
export const connectLogin = (nameOrEmail: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const connect = yield* connectClient
    const { result } = yield* SignIn.run({
      key: `emby-connect user ${nameOrEmail.toLowerCase()}`,
      exchange: connect.authenticate({ nameOrEmail, password }),
      save: saveConnect,
      revoke: (session) => connect.logout(session)
    })
    return result
  })

const saveConnect = (identity: EmbyConnect.ConnectCredentials) =>
  Effect.flatMap(CredentialStore, (store) => store.setConnect({ userId: identity.userId, accessToken: identity.accessToken }))

/** `connect pin`: the PIN sign-in stream; `onEvent` sees every event; saves the identity at the end. @internal */
export const connectPin = <E, R>(
  onEvent: (event: EmbyConnect.PinEvent) => Effect.Effect<void, E, R>,
  options: { readonly interval?: Duration.DurationInput | undefined } = {}
) =>
  Effect.gen(function*() {
    const connect = yield* connectClient
    const deviceId = (yield* clientInfoFor("emby-connect")).deviceId
    const events: Stream.Stream<EmbyConnect.PinEvent, ClientError.ClientError> = connect.signInWithPin({
      deviceId,
      ...(options.interval === undefined ? {} : { interval: options.interval })
    })
    // The PIN waits for a person; once the service hands over the token, it is saved by SignIn's rules.
    const signedIn = Effect.gen(function*() {
      let credentials: EmbyConnect.ConnectCredentials | undefined
      yield* Stream.runForEach(events, (event) =>
        Effect.zipRight(
          onEvent(event),
          Effect.sync(() => {
            if (event._tag === "SignedIn") credentials = event.credentials
          })
        ))
      if (credentials === undefined) {
        return yield* new CliError.CommandFailed({ code: "PinEnded", message: "the PIN sign-in ended without signing in" })
      }
      return credentials
    })
    const { result } = yield* SignIn.run({
      key: `emby-connect device ${deviceId}`,
      exchange: signedIn,
      save: saveConnect,
      revoke: (credentials) => connect.logout(credentials),
      waitsForPerson: true
    })
    return result
  })

/** `connect servers`: the linked servers, merged into the store. @internal */
export const connectServers = Effect.gen(function*() {
  const identity = yield* connectIdentity
  const connect = yield* connectClient
  const servers = yield* connect.servers(identity)
  const store = yield* CredentialStore
  yield* store.reconcileConnectServers(
    servers.map((server) => ({
      id: server.serverId,
      name: server.name,
      product: "Emby" as const,
      addresses: { local: server.localAddress, remote: server.remoteAddress },
      connect: { serverId: server.connectServerId, accessKey: server.accessKey }
    })),
    { removeMissing: true }
  )
  return servers
})

/** How a sign-out ended: nothing to do, revoked by the service and forgotten, or forgotten here only (`--local`). @internal */
export type SignOutOutcome = "NotSignedIn" | "Revoked" | "ForgottenHere"

/** The service could not revoke the token: it is kept, and `--local` forgets it here only. @internal */
const notRevoked = (service: string, cause: string, localCommand: string) =>
  new CliError.CommandFailed({
    code: "SignOutFailed",
    message: `${service} could not revoke the token (${cause}): you are still signed in, and the token is kept here`,
    hint: `try again when it answers, or forget the token here only (it stays valid there) with: ${localCommand} --local`
  })

/** `connect logout`: revokes the Connect token (an unknown one counts as signed out) and forgets it. @internal */
export const connectLogout = (options: { readonly local: boolean }) =>
  Effect.gen(function*() {
    const store = yield* CredentialStore
    const credentials = yield* store.get
    if (credentials.connect === undefined) return "NotSignedIn" satisfies SignOutOutcome
    if (!options.local) {
      const connect = yield* connectClient
      yield* Effect.mapError(connect.logout(credentials.connect), (error) =>
        notRevoked("Emby Connect", error.message, "mbauth connect logout"))
    }
    yield* store.clearConnect
    return (options.local ? "ForgottenHere" : "Revoked") satisfies SignOutOutcome
  })

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

/** A server found at an address. @internal */
export interface Found {
  readonly address: string
  readonly info: MediaServer.PublicInfo
  readonly profile: ProfileName
  /** A saved server's addresses that set the weakest scheme its secrets may use (`TransportSafety.requiresHttps`). */
  readonly knownAddresses?: ReadonlyArray<string | undefined>
}

/** What a user may type for a server address: with or without scheme and port. @internal */
export const candidates = (input: string): ReadonlyArray<string> => {
  const trimmed = input.trim().replace(/\/+$/, "")
  if (/^https?:\/\//i.test(trimmed)) return [trimmed]
  const hasPort = /^[^/]*:\d+(\/|$)/.test(trimmed) || /^\[[^\]]*\]:\d+/.test(trimmed)
  return hasPort
    ? [`http://${trimmed}`, `https://${trimmed}`]
    : [`https://${trimmed}`, `http://${trimmed}:8096`, `http://${trimmed}`, `https://${trimmed}:8920`]
}

const probeTimeout = Duration.seconds(5)

const untrustedHint = "for a server whose certificate a private CA signed, trust that CA with --cacert FILE " +
  "(or MBAUTH_CA_CERT=FILE): its certificate in PEM. Verification cannot be turned off."

/** Probes candidates in order; the first that answers with public info wins. @internal */
export const find = (addresses: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const failures: Array<string> = []
    let untrusted = false
    for (const address of addresses) {
      const result = yield* Effect.either(MediaServer.probe(address, { timeout: probeTimeout }))
      if (Either.isLeft(result)) {
        failures.push(`${address}: ${result.left.message}`)
        untrusted ||= result.left._tag === "ServerUnreachable" && result.left.reason === "TlsFailure"
        continue
      }
      const profile = MediaServer.detectProfile(result.right)
      if (Either.isLeft(profile)) {
        return yield* new CliError.CommandFailed({ code: "ServerUpdateNeeded", message: profile.left.message })
      }
      return { address, info: result.right, profile: profile.right } satisfies Found
    }
    // Each address with its own cause: a refused connection, a TLS failure and a web page call for
    // different fixes.
    return yield* new CliError.CommandFailed({
      code: "ServerUnreachable",
      message: failures.length === 1
        ? `no Jellyfin or Emby server answered at ${failures[0]}`
        : `no Jellyfin or Emby server answered: ${failures.join("; ")}`,
      detail: failures,
      ...(untrusted ? { hint: untrustedHint } : {})
    })
  })

const addressesOf = (server: Credentials.Server): ReadonlyArray<string> =>
  Array.from(new Set([server.addresses.manual, server.addresses.local, server.addresses.remote].filter((a): a is string => a !== undefined && a !== "")))

/** `server add`: probes the address and saves the server. @internal */
export const serverAdd = (input: string) =>
  Effect.gen(function*() {
    const valid = ConnectionManager.normalizeAddress(input)
    if (Either.isLeft(valid)) return yield* new CliError.UsageError({ message: valid.left.message })
    const tried = candidates(input)
    const found = yield* find(tried)
    const now = yield* DateTime.now
    const saved = yield* Effect.flatMap(CredentialStore, (store) =>
      store.upsertServer({
        id: found.info.id,
        name: found.info.serverName,
        product: found.info.product,
        version: found.info.version,
        addresses: { manual: found.address, local: found.info.localAddress },
        lastConnectionMode: "Manual",
        lastAccessed: now
      }))
    return { found, saved, tried }
  })

const norm = (address: string) => address.trim().replace(/\/+$/, "").toLowerCase()

/** Finds a saved server by ServerId, name or address. @internal */
export const resolveServer = (query: string) =>
  Effect.gen(function*() {
    const servers = yield* Effect.flatMap(CredentialStore, (store) => store.listServers)
    const q = query.trim().toLowerCase()
    const byId = servers.filter((s) => s.id.toLowerCase() === q)
    const byName = servers.filter((s) => (s.name ?? "").toLowerCase() === q)
    const byAddress = servers.filter((s) => addressesOf(s).some((a) => norm(a) === norm(query) || candidates(query).some((c) => norm(c) === norm(a))))
    const matches = byId.length > 0 ? byId : byName.length > 0 ? byName : byAddress
    if (matches.length === 1) return matches[0]!
    if (matches.length > 1) {
      return yield* new CliError.CommandFailed({
        code: "AmbiguousServer",
        message: `${matches.length} saved servers are called ${JSON.stringify(query)}`,
        hint: `use a ServerId: ${matches.map((s) => s.id).join(", ")}`
      })
    }
    return yield* new CliError.CommandFailed({
      code: "UnknownServer",
      message: `no saved server matches ${JSON.stringify(query)} (ServerId, name or address)`,
      hint: servers.length === 0 ? "add one with: mbauth server add URL" : "mbauth server list shows the saved servers"
    })
  })

/**
 * The addresses of a saved server that may carry its secrets: all of them, or only the https ones
 * when it was added (or last reached) over https, unless --allow-insecure.
 */
const secretAddressesOf = (server: Credentials.Server) =>
  Effect.map(Session, (session) => {
    const all = addressesOf(server)
    const known = ConnectionManager.knownAddresses(server)
    if (session.allowInsecure || !TransportSafety.requiresHttps(known)) return { addresses: all, skipped: [], known }
    const secure = (a: string) => a.toLowerCase().startsWith("https:")
    return { addresses: all.filter(secure), skipped: all.filter((a) => !secure(a)), known }
  })

/** Reaches a saved server at one of its addresses and checks that it is still the same server. @internal */
export const reach = (server: Credentials.Server) =>
  Effect.gen(function*() {
    const { addresses, known, skipped } = yield* secretAddressesOf(server)
    const found = yield* find(addresses).pipe(
      Effect.mapError((error) =>
        skipped.length === 0 || error.code !== "ServerUnreachable" ? error : new CliError.CommandFailed({
          code: error.code,
          message: error.message,
          detail: error.detail,
          hint: `not tried: ${skipped.join(", ")} (plain HTTP; the server was added or last reached over https, so its ` +
            `token and password do not go over plain HTTP). If the network is trusted, pass --allow-insecure.`
        })
      ),
      Effect.map((found): Found => ({ ...found, knownAddresses: known }))
    )
    if (found.info.id.toLowerCase() !== server.id.toLowerCase()) {
      return yield* new CliError.CommandFailed({
        code: "ServerIdChanged",
        message: `${found.address} is now a different server (ServerId ${found.info.id}, saved ${server.id})`,
        hint: "add it again with: mbauth server add URL"
      })
    }
    return found
  })

const clientFor = (found: Found, userName: string) =>
  Effect.flatMap(Effect.zip(clientInfoFor(userName), Session), ([clientInfo, session]) =>
    MediaServer.make({
      address: found.address,
      profile: found.profile,
      clientInfo,
      allowInsecure: session.allowInsecure,
      knownAddresses: found.knownAddresses
    }).pipe(
      Effect.mapError((error) => new CliError.CommandFailed({ code: "InvalidClient", message: error.message }))
    ))

const saveSignIn = (found: Found, user: { readonly id: string; readonly name: string }, accessToken: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const store = yield* CredentialStore
    const now = yield* DateTime.now
    yield* store.upsertServer({ id: found.info.id, name: found.info.serverName, version: found.info.version, lastAccessed: now })
    return yield* store.setUser(found.info.id, { id: user.id, name: user.name, accessToken })
  })

// A server replaces the token of a (DeviceId, user), and DeviceIds derive from the name given to
// clientFor: sign-ins with the same key would revoke each other's token.
const signInKey = (found: Found, deviceUser: string) => `server ${found.info.id.toLowerCase()} device ${deviceUser}`

/** How `server login` signs in. @internal */
export type LoginMethod =
  | { readonly _tag: "Password"; readonly username: string; readonly password: Redacted.Redacted<string> }
  | { readonly _tag: "QuickConnect"; readonly onCode: (code: string) => Effect.Effect<void>; readonly interval?: Duration.DurationInput }
  | { readonly _tag: "ConnectExchange" }

/** `server login`. @internal */
export const serverLogin = (server: Credentials.Server, method: LoginMethod) =>
  Effect.gen(function*() {
    const found = yield* reach(server)
    switch (method._tag) {
      case "Password": {
        const client = yield* clientFor(found, method.username)
        const { result } = yield* SignIn.run({
          key: signInKey(found, method.username),
          exchange: client.authenticateByName({ username: method.username, password: method.password }),
          save: (signIn) => saveSignIn(found, signIn.user, signIn.accessToken),
          revoke: (signIn) => client.logout({ accessToken: signIn.accessToken })
        })
        return { found, user: result.user, via: "password" as const }
      }
      case "QuickConnect": {
        // The user is not known before the code is authorized; the device is this install's.
        const client = yield* clientFor(found, "quick-connect")
        const authorized = client.quickConnect(method.interval === undefined ? {} : { interval: method.interval }).pipe(
          Stream.tap((event) => event._tag === "CodeCreated" ? method.onCode(event.code) : Effect.void),
          Stream.filterMap((event) => event._tag === "SignedIn" ? Option.some(event.signIn) : Option.none()),
          Stream.runHead,
          Effect.flatten,
          Effect.mapError((error) =>
            error._tag === "NoSuchElementException" ? new CliError.CommandFailed({ code: "QuickConnectEnded", message: "Quick Connect ended without signing in" }) : error
          )
        )
        const { result } = yield* SignIn.run({
          key: signInKey(found, "quick-connect"),
          exchange: authorized,
          save: (signIn) => saveSignIn(found, signIn.user, signIn.accessToken),
          revoke: (signIn) => client.logout({ accessToken: signIn.accessToken }),
          waitsForPerson: true
        })
        return { found, user: result.user, via: "quick-connect" as const }
      }
      case "ConnectExchange": {
        const identity = yield* connectIdentity
        const accessKey = server.connect?.accessKey
        if (accessKey === undefined) {
          return yield* new CliError.CommandFailed({
            code: "NoAccessKey",
            message: `${server.name ?? server.id} has no Emby Connect AccessKey`,
            hint: "run mbauth connect servers, or sign in with --user"
          })
        }
        const deviceUser = `connect:${identity.userId}`
        const client = yield* clientFor(found, deviceUser)
        const exchange = Effect.flatMap(
          client.exchange({ connectUserId: identity.userId, accessKey }),
          (exchanged) => Effect.map(client.currentUser(exchanged), (user) => ({ exchanged, user }))
        )
        const { result } = yield* SignIn.run({
          key: signInKey(found, deviceUser),
          exchange,
          save: ({ exchanged, user }) => saveSignIn(found, user, exchanged.accessToken),
          revoke: ({ exchanged }) => client.logout({ accessToken: exchanged.accessToken })
        })
        return { found, user: result.user, via: "connect" as const }
      }
    }
  })

/** The signed-in user of a saved server (`--user`, else the last one). @internal */
export const signedInUser = (server: Credentials.Server, userName: string | undefined) => {
  const users = Object.values(server.users)
  const user = userName === undefined
    ? (server.lastUserId !== undefined ? server.users[server.lastUserId] : undefined) ?? users.find((u) => u.accessToken !== undefined)
    : users.find((u) => (u.name ?? "").toLowerCase() === userName.toLowerCase() || u.id === userName)
  if (user === undefined || user.accessToken === undefined) {
    return Effect.fail(
      new CliError.CommandFailed({
        code: "NotSignedIn",
        message: `${userName === undefined ? "nobody is" : `${userName} is not`} signed in to ${server.name ?? server.id}`,
        hint: `sign in with: mbauth server login ${server.id}${userName === undefined ? "" : ` --user ${userName}`}`
      })
    )
  }
  return Effect.succeed({ ...user, accessToken: user.accessToken })
}

/**
 * `server logout`: revokes the token on the server and forgets it; with `local`, forgets it only.
 * Nobody signed in is nothing to do; a server that cannot revoke the token keeps it saved. @internal
 */
export const serverLogout = (server: Credentials.Server, userName: string | undefined, options: { readonly local: boolean }) =>
  Effect.gen(function*() {
    const signedIn = yield* Effect.either(signedInUser(server, userName))
    if (Either.isLeft(signedIn)) return { outcome: "NotSignedIn" as SignOutOutcome, user: undefined }
    const user = signedIn.right
    if (!options.local) {
      yield* reach(server).pipe(
        Effect.flatMap((found) => clientFor(found, user.name ?? user.id)),
        Effect.flatMap((client) => client.logout({ accessToken: user.accessToken })),
        Effect.mapError((error) =>
          notRevoked(server.name ?? server.id, error.message, `mbauth server logout ${server.id}${userName === undefined ? "" : ` --user ${userName}`}`)
        )
      )
    }
    yield* Effect.flatMap(CredentialStore, (store) => store.clearUserToken(server.id, user.id))
    return { outcome: (options.local ? "ForgottenHere" : "Revoked") as SignOutOutcome, user }
  })

/** `server approve`: the signed-in user approves a Quick Connect code shown by a new device. @internal */
export const serverApprove = (server: Credentials.Server, code: string, userName: string | undefined) =>
  Effect.gen(function*() {
    const user = yield* signedInUser(server, userName)
    const found = yield* reach(server)
    const client = yield* clientFor(found, user.name ?? user.id)
    yield* client.authorizeQuickConnect({ accessToken: user.accessToken }, code)
    return { user, found }
  })

/** `server list`: saved servers with whether they answer now. @internal */
export const serverList = Effect.gen(function*() {
  const servers = yield* Effect.flatMap(CredentialStore, (store) => store.listServers)
  return yield* Effect.forEach(
    servers,
    (server) =>
      Effect.map(
        Effect.either(find(addressesOf(server)).pipe(Effect.timeout(probeTimeout))),
        (reached) => {
          // The address that answered as this server, which need not be the one typed when adding it.
          const answered = Either.isRight(reached) && reached.right.info.id.toLowerCase() === server.id.toLowerCase()
            ? reached.right.address
            : undefined
          return { server, online: answered !== undefined, address: answered ?? addressesOf(server)[0] }
        }
      ),
    { concurrency: 4 }
  )
})

/** The failure of an authenticated request. @internal */
const httpFailure = (method: string, status: number, path: string, server: Credentials.Server) =>
  new CliError.CommandFailed({
    code: status === 401 || status === 403 ? "Unauthorized" : "HttpError",
    message: `${method} ${path} answered ${status}`,
    ...(status === 401 || status === 403
      ? { hint: `the token was revoked or expired; sign in again with: mbauth server login ${server.id}` }
      : {})
  })

/** What `api` and `get` send: a method, a path on the saved server (query allowed), a body. @internal */
export interface ApiRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
  readonly path: string
  /** Added to the query of the path. */
  readonly query?: ReadonlyArray<readonly [string, string]>
  readonly body?: { readonly bytes: Uint8Array; readonly contentType: string }
}

/** A server's answer to an {@link ApiRequest}, whatever its status. @internal */
export interface ApiResponse {
  readonly user: Credentials.Server["users"][string] & { readonly accessToken: Redacted.Redacted<string> }
  readonly found: Found
  readonly url: URL
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly bytes: Uint8Array
}

const requestTimeout = Duration.seconds(30)

/**
 * `api SERVER PATH`: one request signed for the saved user, answered with any status. PATH must
 * stay on the saved server (`ServerPath.resolve`): an absolute URL would carry the token elsewhere.
 * @internal
 */
export const send = (server: Credentials.Server, userName: string | undefined, request: ApiRequest) =>
  Effect.gen(function*() {
    const user = yield* signedInUser(server, userName)
    const found = yield* reach(server)
    const client = yield* clientFor(found, user.name ?? user.id)
    const http = yield* RequestSigning.signClient(yield* HttpClient.HttpClient, {
      profile: found.profile,
      clientInfo: client.clientInfo,
      token: user.accessToken
    }).pipe(Effect.mapError((error) => new CliError.CommandFailed({ code: "SigningError", message: error.message })))
    const resolved = ServerPath.resolve(client.baseUrl, request.path)
    if (Either.isLeft(resolved)) {
      return yield* new CliError.UsageError({
        message: `PATH must be a path on the saved server: ${resolved.left.message}`
      })
    }
    const url = resolved.right
    for (const [key, value] of request.query ?? []) url.searchParams.append(key, value)
    const wire = request.body === undefined
      ? HttpClientRequest.make(request.method)(url)
      : HttpClientRequest.bodyUint8Array(HttpClientRequest.make(request.method)(url), request.body.bytes, request.body.contentType)
    // The body is read within the timeout too, and an interruption aborts the connection.
    const answer = yield* Effect.scoped(
      Effect.flatMap(HttpClient.withScope(http).execute(wire), (response) =>
        Effect.map(response.arrayBuffer, (buffer) => ({ status: response.status, headers: response.headers, bytes: new Uint8Array(buffer) })))
    ).pipe(
      Effect.timeout(requestTimeout),
      Effect.mapError((error) =>
        new CliError.CommandFailed({
          code: error._tag === "TimeoutException" ? "Timeout" : "ServerUnreachable",
          message: `${request.method} ${url.pathname} failed: ${error._tag === "TimeoutException" ? "no answer within 30 seconds" : transportFailure(error)}`
        })
      )
    )
    return { user, found, url, ...answer } satisfies ApiResponse
  })

/** A transport failure in a user's words: what the system said, with the certificate hint for TLS. */
const transportFailure = (error: { readonly reason: string; readonly cause?: unknown; readonly message: string }): string => {
  const detail = causeMessage(error.cause)
  return detail === undefined ? error.reason : `${error.reason} (${detail})`
}

const causeMessage = (cause: unknown): string | undefined => {
  let current = cause
  let last: string | undefined
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if ("message" in current && typeof current.message === "string" && current.message !== "" && current.message !== "fetch failed") {
      last = current.message
    }
    current = "cause" in current ? current.cause : undefined
  }
  return last
}

/** `get SERVER PATH`: an authenticated GET; the JSON body (or text) of a 2xx answer. @internal */
export const get = (server: Credentials.Server, path: string, userName: string | undefined) =>
  Effect.gen(function*() {
    const response = yield* send(server, userName, { method: "GET", path })
    if (response.status < 200 || response.status >= 300) return yield* httpFailure("GET", response.status, response.url.pathname, server)
    const text = new TextDecoder().decode(response.bytes)
    const json = yield* Effect.option(Effect.try(() => JSON.parse(text) as unknown))
    // The text is returned too, for printing: JSON.stringify recurses, and overflows the stack on a
    // body nested thousands of levels deep (JSON.parse does not).
    return { user: response.user, found: response.found, status: response.status, body: Option.getOrElse(json, () => text), text }
  })

/** The failure of `api` for an answer that is not 2xx (its body has been printed). @internal */
export const apiFailure = (response: ApiResponse, method: string, server: Credentials.Server) =>
  httpFailure(method, response.status, response.url.pathname, server)

/** `server remove`. @internal */
export const serverRemove = (server: Credentials.Server) =>
  Effect.flatMap(CredentialStore, (store) => store.removeServer(server.id))

/** Every operation needs these. @internal */
export type OpServices = Services
