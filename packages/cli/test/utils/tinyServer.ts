// A small Jellyfin-shaped server on 127.0.0.1 (plain HTTP, or HTTPS with the self-signed
// certificate in test/fixtures), recording every request it receives. Tests give it the answers
// that real servers (or hostile ones) send.
import { readFileSync } from "node:fs"
import * as Http from "node:http"
import * as Https from "node:https"
import type { AddressInfo } from "node:net"

export const certificateFile = new URL("../fixtures/localhost-cert.pem", import.meta.url).pathname
const keyFile = new URL("../fixtures/localhost-key.pem", import.meta.url).pathname

export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export interface Answer {
  /** Never answer (the connection stays open until the server closes). */
  readonly hang?: boolean
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body?: unknown
}

export interface TinyServerOptions {
  readonly tls?: boolean
  /** The certificate and key files for `tls` (default: the self-signed localhost certificate). */
  readonly certificate?: { readonly cert: string; readonly key: string }
  readonly id?: string
  readonly name?: string
  readonly version?: string
  /** `LocalAddress` in the public info; a function of the server's own URL. */
  readonly localAddress?: (url: string) => string | undefined
  /** Answers a request itself; `undefined` leaves it to the Jellyfin-shaped defaults. */
  readonly answer?: (request: Received) => Answer | undefined
}

export interface TinyServer {
  readonly url: string
  readonly port: number
  readonly received: Array<Received>
  readonly close: () => Promise<void>
}

export const TOKEN = "tiny0token0000000000000000000001"
export const SERVER_ID = "0123456789abcdef0123456789abcdef"

export const startTinyServer = (options: TinyServerOptions = {}): Promise<TinyServer> =>
  new Promise((resolve) => {
    const received: Array<Received> = []
    const id = options.id ?? SERVER_ID
    let url = ""
    const defaults = (request: Received): Answer => {
      const path = request.url.split("?")[0]!.toLowerCase()
      if (path === "/system/info/public") {
        return {
          body: {
            Id: id,
            ServerName: options.name ?? "Tiny Jellyfin",
            Version: options.version ?? "10.11.0",
            ProductName: "Jellyfin Server",
            LocalAddress: options.localAddress?.(url) ?? null
          }
        }
      }
      if (path === "/users/authenticatebyname") {
        return { body: { User: { Id: "11111111111111111111111111111111", Name: "bob", ServerId: id }, AccessToken: TOKEN, ServerId: id } }
      }
      if (path === "/sessions/logout") return { status: 204 }
      if (path === "/users/me") return { body: { Id: "11111111111111111111111111111111", Name: "bob", ServerId: id } }
      return { body: { path: request.url } }
    }
    const handler = (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      let body = ""
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk))
      req.on("end", () => {
        const request: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body }
        received.push(request)
        const answer = options.answer?.(request) ?? defaults(request)
        if (answer.hang === true) return
        const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)
        res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers })
        res.end(text)
      })
    }
    const server = options.tls === true
      ? Https.createServer(
        { cert: readFileSync(options.certificate?.cert ?? certificateFile), key: readFileSync(options.certificate?.key ?? keyFile) },
        handler
      )
      : Http.createServer(handler)
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port
      url = `${options.tls === true ? "https" : "http"}://127.0.0.1:${port}`
      resolve({
        url,
        port,
        received,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = Http.createServer()
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port
      server.close(() => resolve(port))
    })
  })
