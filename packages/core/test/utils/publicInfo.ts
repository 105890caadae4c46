/**
 * A minimal fake that only answers `/System/Info/Public` (and `/emby/System/Info/Public`), for the
 * reaching and health tests, plus a raw TCP server that accepts connections and never answers.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { serve } from "@mbauth/core/testing"
import * as Effect from "effect/Effect"
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

/** Serves public info; `info` is read per request, so tests can swap the server's identity. */
export const servePublicInfo = (info: () => InfoSeed) =>
  serve(Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
    const path = new URL(request.url, "http://x").pathname.toLowerCase()
    return path === "/system/info/public" || path === "/emby/system/info/public"
      ? HttpServerResponse.unsafeJson(info())
      : HttpServerResponse.text("not found", { status: 404 })
  }))

/** A TCP server that accepts every connection and never sends a byte: a dead address. */
export const blackHole = Effect.acquireRelease(
  Effect.async<{ readonly server: Net.Server; readonly sockets: Set<Net.Socket>; readonly accepted: { count: number } }>(
    (resume) => {
      const sockets = new Set<Net.Socket>()
      const accepted = { count: 0 }
      const server = Net.createServer((socket) => {
        accepted.count += 1
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
        socket.on("error", () => undefined)
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, sockets, accepted })))
    }
  ),
  ({ server, sockets }) =>
    Effect.async<void>((resume) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ accepted, server }) => {
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, accepted }
}))
