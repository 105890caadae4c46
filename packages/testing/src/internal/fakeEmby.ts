/**
 * A fake Emby Server 4.9 on top of the shared fake media server: the API under `/emby` (and
 * `/mediabrowser`; un-prefixed paths are 404), the `emby` profile (X-Emby-Authorization first, the
 * Emby scheme, X-Emby-Token, X-MediaBrowser-Token, api_key), `/System/Info/Public` with
 * `LocalAddresses`, `WanAddress` and `RemoteAddresses` and without `ProductName`, and the Emby
 * Connect exchange (core's `docs/server-facts.md`, "Emby Connect: exchanging an AccessKey at the server").
 *
 * Since 4.4.0.21 Emby's own clients send the client fields as separate values — `X-Emby-Client`,
 * `X-Emby-Device-Name`, `X-Emby-Device-Id`, `X-Emby-Client-Version` and `X-Emby-Token`, as headers
 * or query parameters — instead of a scheme header; the fake reads the client fields as the spec's
 * `emby` profile does (`Credentials.inspect`: the scheme header's value, else the separate header,
 * else the query parameter) and its token from `X-Emby-Token` in the query as well (the profile's last
 * token transport). Sources in
 * `packages/core/docs/jellyfin-12-and-emby-4.9.md`.
 *
 * `/embywebsocket` (at the root, not under `/emby`) is the session WebSocket, authenticated like every
 * endpoint through the `emby` profile (`?api_key=`, as Emby's JavaScript client opens it with
 * `&deviceId=`); see `sessionSocket.ts`.
 *
 * The Connect exchange:
 * - `GET /emby/Connect/Exchange?ConnectUserId=` is an authenticated endpoint whose token may be a
 *   Connect AccessKey: a token that is neither a device token nor an API key is checked with the
 *   Connect service's `resolveAccessKey` for this server's Id, and stands for the local user linked
 *   to the Connect user it was issued to;
 * - with client fields it creates a session for that device (one token per (DeviceId, user)) and
 *   answers `{ LocalUserId, AccessToken }`; without `Client` it answers the AccessKey itself, as
 *   the real server does;
 * - a ConnectUserId with no linked local user is 404; an AccessKey of another user is 401.
 *
 * @internal
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as Discovery from "./discoveryResponder.js"
import type * as ConnectFake from "./embyConnect.js"
import * as Engine from "./fakeMediaServer.js"
import * as SessionSocket from "./sessionSocket.js"

/** What the fake Emby server needs from Emby Connect (the fake Connect service has both). */
export interface ConnectDirectory {
  readonly resolveAccessKey: (
    systemId: string,
    accessKey: string
  ) => Effect.Effect<Option.Option<ConnectFake.AccessKeyGrant>>
  readonly users: Effect.Effect<ReadonlyArray<ConnectFake.ConnectUserRecord>>
}

/** Options of a fake Emby server. */
export interface FakeEmbyOptions extends Engine.CommonOptions {
  /** The Connect service AccessKeys are checked against; absent: no exchange (401). */
  readonly connect?: ConnectDirectory | undefined
}

/** A running fake Emby server. */
export interface FakeEmbyServer extends Engine.FakeMediaServer {
  readonly product: "Emby"
  /** The `/embywebsocket` connections. */
  readonly sockets: SessionSocket.SessionSockets
}

const linkedTo = (user: Engine.UserRecord, connectUser: { readonly id: string; readonly name: string; readonly email: string }) => {
  const link = user.connectUser?.toLowerCase()
  return link !== undefined &&
    (link === connectUser.id.toLowerCase() || link === connectUser.name.toLowerCase() ||
      link === connectUser.email.toLowerCase())
}

/** Starts a fake Emby server for the scope. */
export const make = (
  options: FakeEmbyOptions = {}
): Effect.Effect<
  FakeEmbyServer,
  HttpServerError.ServeError | Engine.FakeServerError | Discovery.DiscoveryResponderError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const connect = options.connect

    const lookupToken = (token: string, engine: Engine.Engine) =>
      connect === undefined ? Effect.succeedNone : Effect.map(
        connect.resolveAccessKey(engine.id, token),
        Option.flatMap((grant) =>
          Option.fromNullable(engine.users().find((u) =>
            linkedTo(u, { id: grant.connectUserId, name: grant.connectUserName, email: grant.email })
          ))
        )
      )

    const sockets = SessionSocket.make(undefined)

    const routes = (engine: Engine.Engine): Record<string, Engine.Route> => ({
      "GET /embywebsocket": {
        auth: true,
        handler: ({ auth, request }) =>
          sockets.serve(request, auth?.principal._tag === "User" ? auth.principal.userId : auth?.principal.name ?? "")
      },
      "GET /connect/exchange": {
        auth: true,
        handler: ({ auth, clientInfo, params }) =>
          Effect.gen(function*() {
            const connectUserId = params.get("ConnectUserId") ?? ""
            const connectUsers = connect === undefined ? [] : yield* connect.users
            const connectUser = connectUsers.find((u) => u.id === connectUserId)
            const local = connectUser === undefined ? undefined : engine.users().find((u) => linkedTo(u, connectUser))
            if (local === undefined) return Engine.text(404, "Not Found")
            if (auth?.principal._tag !== "User" || auth.principal.userId !== local.id) {
              return Engine.text(401, "Access token is not valid for this user.")
            }
            // Without a client the server hands back the per-user key itself (no session).
            if ((clientInfo.client ?? "") === "") {
              return Engine.json({ LocalUserId: local.id, AccessToken: Redacted.value(auth.credentials.token) })
            }
            const info = yield* engine.requireClientInfo(clientInfo)
            const device = yield* engine.mintDeviceToken(local, info)
            return Engine.json({ LocalUserId: local.id, AccessToken: device.token })
          }).pipe(Effect.merge)
      }
    })

    const base = yield* Engine.make({
      product: "Emby",
      profile: "emby",
      legacy: undefined,
      defaultVersion: "4.9.0.33",
      defaultName: "Emby 4.9",
      // Emby's /System/Info/Public carries no ProductName (clients tell it from Jellyfin by that).
      defaultProductName: null,
      defaultLockout: false,
      prefixes: ["/emby", "/mediabrowser"],
      rootPaths: ["/embywebsocket"],
      methodNotAllowed: false,
      rewritesDeviceRecord: false,
      publicInfo: ({ id, localAddress, name, productName, version }) => ({
        LocalAddresses: [localAddress],
        RemoteAddresses: options.wanAddress === undefined ? [] : [options.wanAddress],
        LocalAddress: localAddress,
        WanAddress: options.wanAddress ?? null,
        ServerName: name,
        Version: version,
        ...(productName === null ? {} : { ProductName: productName }),
        Id: id
      }),
      lookupToken,
      routes
    }, options)
    const { engine: _engine, ...server } = base
    // Before the HTTP server closes: Node's server.close() does not end upgraded connections.
    yield* Effect.addFinalizer(() => sockets.closeAll)
    return { ...server, product: "Emby", sockets } satisfies FakeEmbyServer
  })
