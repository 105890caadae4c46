/**
 * Jellyfin's `/socket` as `WebSocketManager` and `SessionWebSocketListener` run it (and Emby's
 * `/embywebsocket`, whose server side is not visible: the same, without `ForceKeepAlive`):
 * - the upgrade request authenticates like every endpoint (`AuthService.Authenticate`); without a
 *   token the server throws `SecurityException("Token is required")` and with a bad one
 *   `SecurityException("Invalid token.")`, which `ExceptionMiddleware` answers with 403 and the body
 *   "Error processing request." (the message shows only in a development environment);
 * - on connect the server sends `ForceKeepAlive` whose `Data` is the lost-socket timeout in seconds
 *   (60 on the real server); a client's `KeepAlive` message is answered with `KeepAlive`;
 * - messages are JSON `{ MessageType, MessageId, Data }` text frames.
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"

/** One message the server sends. */
export interface OutboundMessage {
  readonly MessageType: string
  readonly Data?: unknown
}

/** The open sockets of one server. */
export interface SessionSockets {
  /** Serves one upgrade request (already authenticated) until the socket closes. */
  readonly serve: (request: HttpServerRequest.HttpServerRequest, owner: string) => Effect.Effect<HttpServerResponse.HttpServerResponse>
  /** How many sockets are open. */
  readonly open: Effect.Effect<number>
  /** The owners (user ids or API key names) of the open sockets. */
  readonly owners: Effect.Effect<ReadonlyArray<string>>
  /** Sends a message to every open socket. */
  readonly broadcast: (message: OutboundMessage) => Effect.Effect<void>
  /** Closes every open socket (as a restarting server would), with close code 1001. */
  readonly closeAll: Effect.Effect<void>
  /** `KeepAlive` messages received so far. */
  readonly keepAlives: Effect.Effect<number>
}

interface Connection {
  readonly owner: string
  readonly write: (chunk: string | Socket.CloseEvent) => Effect.Effect<void, Socket.SocketError>
}

const encode = (message: OutboundMessage) => JSON.stringify({ MessageId: randomUUID().replace(/-/g, ""), ...message })

/**
 * The socket registry of one server; `lostTimeoutSeconds` is what `ForceKeepAlive` announces on
 * connect (undefined: no `ForceKeepAlive`; Emby's own client handles none).
 */
export const make = (lostTimeoutSeconds: number | undefined): SessionSockets => {
  let connections: Array<Connection> = []
  let keepAlives = 0

  // Suspended: the sockets open when it runs, not when it was built (`closeAll` is a value).
  const each = (f: (connection: Connection) => Effect.Effect<void, Socket.SocketError>) =>
    Effect.suspend(() => Effect.forEach(connections.slice(), (c) => Effect.ignore(f(c)), { discard: true }))

  const serve = (request: HttpServerRequest.HttpServerRequest, owner: string) =>
    Effect.scoped(
      Effect.gen(function*() {
        const socket = yield* request.upgrade
        const write = yield* socket.writer
        const connection: Connection = { owner, write }
        yield* Effect.addFinalizer(() => Effect.sync(() => connections = connections.filter((c) => c !== connection)))
        const onMessage = (data: string | Uint8Array) => {
          const text = typeof data === "string" ? data : new TextDecoder().decode(data)
          let messageType: unknown
          try {
            messageType = (JSON.parse(text) as { MessageType?: unknown }).MessageType
          } catch {
            return Effect.void
          }
          if (messageType !== "KeepAlive") return Effect.void
          keepAlives++
          return write(encode({ MessageType: "KeepAlive" }))
        }
        yield* socket.runRaw(onMessage, {
          onOpen: Effect.suspend(() => {
            connections = [...connections, connection]
            return lostTimeoutSeconds === undefined
              ? Effect.void
              : Effect.ignore(write(encode({ MessageType: "ForceKeepAlive", Data: lostTimeoutSeconds })))
          })
        })
      })
    ).pipe(
      // Once upgraded the response is never sent; this one only answers a request that was not one.
      Effect.matchCause({
        onFailure: () => HttpServerResponse.empty({ status: 400 }),
        onSuccess: () => HttpServerResponse.empty()
      })
    )

  return {
    serve,
    open: Effect.sync(() => connections.length),
    owners: Effect.sync(() => connections.map((c) => c.owner)),
    broadcast: (message) => each((c) => c.write(encode(message))),
    closeAll: each((c) => c.write(new Socket.CloseEvent(1001, "server restarting"))),
    keepAlives: Effect.sync(() => keepAlives)
  }
}
