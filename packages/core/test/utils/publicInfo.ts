/**
 * A minimal fake that only answers `/System/Info/Public` (and `/emby/System/Info/Public`), for the
 * reaching and health tests, plus a raw TCP server that accepts connections and never answers.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { serve } from "@mbauth/testing"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Net from "node:net"

export interface InfoSeed {
  readonly Id: string
  readonly ServerName?: string
  readonly Version: string
  readonly ProductName?: string
  readonly LocalAddress?: string
  readonly WanAddress?: string
}

export const jellyfinInfo = (id: string, overrides: Partial<InfoSeed> = {}): InfoSeed => ({
  Id: id,
  ServerName: `Jellyfin ${id.slice(0, 4)}`,
  Version: "10.11.2",
  ProductName: "Jellyfin Server",
  ...overrides
})

/**
 * Serves public info; `info` is read per request, so tests can swap the server's identity. Each
 * answer waits for `after` first (default: nothing), e.g. until another server got its request.
 */
export const servePublicInfo = (info: () => InfoSeed, after: Effect.Effect<void> = Effect.void) =>
  serve(Effect.flatMap(Effect.zipRight(after, HttpServerRequest.HttpServerRequest), (request) => {
    const path = new URL(request.url, "http://x").pathname.toLowerCase()
    return Effect.succeed(
      path === "/system/info/public" || path === "/emby/system/info/public"
        ? HttpServerResponse.unsafeJson(info())
        : HttpServerResponse.text("not found", { status: 404 })
    )
  }))

/**
 * A TCP server that accepts every connection and never sends a byte: a dead address.
 * `requested` waits until a request has arrived on a connection; `requestClosed` until the client
 * has closed that connection (the request was aborted). Connections that carried no request are
 * left out: undici opens such a connection to the same origin after an abort (nodejs/undici#5845).
 */
export const blackHole = Effect.acquireRelease(
  Effect.async<{
    readonly server: Net.Server
    readonly sockets: Set<Net.Socket>
    readonly accepted: { count: number }
    readonly requested: Deferred.Deferred<void>
    readonly requestClosed: Deferred.Deferred<void>
  }>(
    (resume) => {
      const sockets = new Set<Net.Socket>()
      const accepted = { count: 0 }
      const requested = Deferred.unsafeMake<void>(FiberId.none)
      const requestClosed = Deferred.unsafeMake<void>(FiberId.none)
      let first: Net.Socket | undefined
      const server = Net.createServer((socket) => {
        accepted.count += 1
        sockets.add(socket)
        socket.once("data", () => {
          if (first !== undefined) return
          first = socket
          Deferred.unsafeDone(requested, Exit.void)
        })
        socket.on("close", () => {
          sockets.delete(socket)
          if (socket === first) Deferred.unsafeDone(requestClosed, Exit.void)
        })
        socket.on("error", () => undefined)
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, sockets, accepted, requested, requestClosed })))
    }
  ),
  ({ server, sockets }) =>
    Effect.async<void>((resume) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ accepted, requestClosed, requested, server }) => {
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    requested: Deferred.await(requested),
    requestClosed: Deferred.await(requestClosed)
  }
}))
