/**
 * Row 11: the server middleware's overhead. One @effect/platform Node HTTP server on 127.0.0.1
 * serves the same route twice, with `ServerAuthentication.middleware` (a valid token, checked by
 * the validator) and without; a load generator in a separate Node process sends the same requests
 * (the same `Authorization` header) to both over keep-alive connections and times each batch.
 * Requests per second with the middleware ÷ without, per sample, must be at least 0.9.
 *
 * Bounded in count (`budget.middlewareRuns` samples of `budget.middlewareRequests` requests per
 * side, after warm-up) and in time (the generator is killed after {@link timeLimitMs}).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as ServerAuthentication from "@mbauth/core/ServerAuthentication"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { createServer } from "node:http"
import { type Budget, type Row, row } from "./Harness.js"

const token = "0123456789abcdef0123456789abcdef"

/**
 * The header every request carries: the typical Jellyfin client's, with a valid token.
 *
 * @since 0.1.0
 * @category inputs
 */
export const authorization =
  `MediaBrowser Client="Jellyfin Web", Device="Firefox", DeviceId="TW96aWxsYS81LjA", Version="10.11.0", Token="${token}"`

/**
 * How long the load generator may run before it is killed and the row fails.
 *
 * @since 0.1.0
 * @category constants
 */
export const timeLimitMs = 180_000

const ok = HttpServerResponse.text("ok")

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/plain", ok),
  HttpRouter.get(
    "/authenticated",
    Effect.zipRight(ServerAuthentication.Authenticated, ok).pipe(ServerAuthentication.middleware({ profile: "jellyfin-12" }))
  )
)

// The load generator: a plain Node script run with `node -e`, sending `requests` GETs per side
// per sample over `connections` keep-alive connections, alternating which side goes first, and
// printing each batch's wall time (ms) as JSON. Any answer but 200 is counted as a failure.
const generator = String.raw`
const http = require("node:http")
const [base, requests, samples, warmup, connections, authorization] = process.argv.slice(1)
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) })
let failures = 0
const batch = (path) => new Promise((resolve) => {
  const total = Number(requests)
  let sent = 0, done = 0
  const start = process.hrtime.bigint()
  const finish = () => {
    done++
    if (done === total) resolve(Number(process.hrtime.bigint() - start) / 1e6)
    else next()
  }
  const next = () => {
    if (sent === total) return
    sent++
    http.get(base + path, { agent, headers: { authorization } }, (res) => {
      if (res.statusCode !== 200) failures++
      res.resume()
      res.on("end", finish)
    }).on("error", () => { failures++; finish() })
  }
  for (let i = 0; i < Number(connections); i++) next()
})
;(async () => {
  const result = { authenticated: [], plain: [] }
  for (let s = 0; s < Number(warmup) + Number(samples); s++) {
    const order = s % 2 === 0 ? ["authenticated", "plain"] : ["plain", "authenticated"]
    for (const side of order) {
      const ms = await batch("/" + side)
      if (s >= Number(warmup)) result[side].push(ms)
    }
  }
  agent.destroy()
  process.stdout.write(JSON.stringify({ ...result, failures }))
})()
`

interface Measured {
  readonly authenticated: ReadonlyArray<number>
  readonly plain: ReadonlyArray<number>
  readonly failures: number
}

const load = (base: string, budget: Budget): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const warmup = Math.min(3, budget.middlewareRuns)
    const child = spawn(process.execPath, [
      "-e",
      generator,
      base,
      String(budget.middlewareRequests),
      String(budget.middlewareRuns),
      String(warmup),
      "8",
      authorization
    ], { stdio: ["ignore", "pipe", "inherit"] })
    let stdout = ""
    child.stdout.on("data", (chunk) => (stdout += String(chunk)))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeLimitMs)
    child.on("exit", (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(JSON.parse(stdout) as Measured)
      else reject(new Error(`bench: the load generator exited ${code ?? signal}`))
    })
  })

/**
 * Row 11.
 *
 * @since 0.1.0
 * @category rows
 */
export const middlewareRows = (budget: Budget): Promise<ReadonlyArray<Row>> =>
  Effect.runPromise(
    Effect.scoped(Effect.gen(function*() {
      const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
      yield* server.serve(router)
      const port = server.address._tag === "TcpAddress" ? server.address.port : 0
      const base = `http://127.0.0.1:${port}`
      // The middleware is really in the way: without a token the route answers 401.
      const anonymous = yield* Effect.promise(() => fetch(`${base}/authenticated`))
      if (anonymous.status !== 401) throw new Error(`bench: the authenticated route answered ${anonymous.status} without a token`)
      const measured = yield* Effect.promise(() => load(base, budget))
      if (measured.failures > 0) throw new Error(`bench: ${measured.failures} requests did not get 200`)
      // Time per request, so that `faster` (peer ÷ ours) is requests/s with ÷ requests/s without.
      const perRequest = (ms: ReadonlyArray<number>) => ms.map((t) => t * 1000 / budget.middlewareRequests)
      return [
        row({
          id: "11",
          what: `server middleware overhead: ${budget.middlewareRequests} GETs per side per sample, 8 keep-alive connections`,
          ours: "route with ServerAuthentication.middleware (valid token)",
          peer: "the same route without it",
          unit: "µs",
          direction: "faster",
          target: 0.9,
          paired: { ours: perRequest(measured.authenticated), peer: perRequest(measured.plain) },
          note:
            "@effect/platform's Node HTTP server on 127.0.0.1, load from a separate Node process; ratio is requests/s with ÷ without"
        })
      ]
    })).pipe(Effect.provide(ServerAuthentication.layerTokenValidatorFromEntries([[
      token,
      ServerAuthentication.Principal.User({ userId: "u1" })
    ]])))
  )
