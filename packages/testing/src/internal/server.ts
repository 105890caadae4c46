/**
 * Running a fake server: any @effect/platform `HttpApp` served by Node on 127.0.0.1 (random or
 * chosen port) for the lifetime of a scope, with a request log and fault injection in front.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Redaction from "@mbauth/core/Redaction"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Net from "node:net"
import * as Cors from "./cors.js"
import * as Faults from "./faults.js"

/** A request as the fake server received it. */
export interface RecordedRequest {
  readonly method: string
  /** The path as sent (case preserved). */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** Arrival time, epoch millis. */
  readonly time: number
}

/** Filters for {@link RequestLog}. */
export interface RequestFilter {
  readonly method?: string | undefined
  /** Exact path (case-insensitive) or a RegExp. */
  readonly path?: string | RegExp | undefined
}

/** Every request a fake server received, faulted ones included (so retries can be counted). */
export interface RequestLog {
  readonly all: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly filter: (filter: RequestFilter) => Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly count: (filter?: RequestFilter) => Effect.Effect<number>
  readonly clear: Effect.Effect<void>
}

/** A running fake server. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly faults: Faults.Faults
  readonly requests: RequestLog
}

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Default 0: a free port chosen by the OS. */
  readonly port?: number | undefined
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Answer cross-origin requests as Jellyfin does by default (any origin). Default: no CORS. */
  readonly cors?: boolean | undefined
  /** Share fault rules with another server; default: a fresh rule list. */
  readonly faults?: Faults.Faults | undefined
}

const matches = (filter: RequestFilter, request: RecordedRequest): boolean => {
  if (filter.method !== undefined && filter.method.toUpperCase() !== request.method) return false
  if (filter.path === undefined) return true
  return typeof filter.path === "string"
    ? filter.path.toLowerCase() === request.path.toLowerCase()
    : filter.path.test(request.path)
}

const makeLog = () => {
  let entries: Array<RecordedRequest> = []
  const log: RequestLog = {
    all: Effect.sync(() => entries.slice()),
    filter: (filter) => Effect.sync(() => entries.filter((r) => matches(filter, r))),
    count: (filter = {}) => Effect.sync(() => entries.filter((r) => matches(filter, r)).length),
    clear: Effect.sync(() => {
      entries = []
    })
  }
  const middleware = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R | HttpServerRequest.HttpServerRequest> =>
    Effect.flatMap(
      Effect.zip(HttpServerRequest.HttpServerRequest, Clock.currentTimeMillis),
      ([request, time]) => {
        const url = new URL(request.url, "http://fake.invalid")
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v
        entries.push({
          method: request.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers,
          time
        })
        return app
      }
    )
  return { log, middleware }
}

/**
 * Serves the app until the scope closes. On close, open connections (including hung ones) are
 * dropped so the server stops at once. Handlers run on the live clock, so a test clock in the
 * caller does not freeze the fake.
 *
 * The server lives in a scope of its own, made now: `NodeHttpServer` creates its WebSocket server
 * at the first upgrade, in the scope it was made in, and closing that waits for every open
 * WebSocket. In the caller's scope that close would come first (it was added last), before the
 * finalizers of anything made after the server and before the first upgrade — such as the client
 * holding the socket open — and wait for it forever.
 */
export const serve = <E, R>(
  app: HttpApp.Default<E, R>,
  options: ServeOptions = {}
): Effect.Effect<
  FakeServer,
  HttpServerError.ServeError,
  Scope.Scope | Exclude<R, HttpServerRequest.HttpServerRequest>
> =>
  Effect.gen(function*() {
    const own = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    return yield* Scope.extend(start(app, options), own)
  })

const start = <E, R>(app: HttpApp.Default<E, R>, options: ServeOptions) =>
  Effect.gen(function*() {
    const faults = options.faults ?? (yield* Faults.make)
    const { log, middleware } = makeLog()
    const host = options.host ?? "127.0.0.1"
    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: options.port ?? 0, host })
    // Runs before the server's own close (finalizers run in reverse order), which would otherwise
    // wait for every keep-alive or hung connection to end.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    // The fake's own server spans must not show what clients send it (the sandbox may run under a
    // tracer): token headers are redacted by name, secret query parameters masked.
    yield* Redaction.withRedactedHeaderNames(
      server.serve(
        Effect.withClock(middleware(Effect.zipRight(Redaction.scrubEnclosingSpans, faults.middleware(options.cors === true ? Cors.anyOrigin(app) : app))), Clock.make())
      )
    )
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const shown = host.includes(":") ? `[${host}]` : host
    return { url: `http://${shown}:${port}`, host, port, faults, requests: log }
  })

/**
 * A URL on 127.0.0.1 where nothing listens (the port was free a moment ago): connecting to it is
 * refused.
 */
export const refusedUrl: Effect.Effect<string> = Effect.async<string>((resume) => {
  const probe = Net.createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 9
    probe.close(() => resume(Effect.succeed(`http://127.0.0.1:${port}`)))
  })
})
