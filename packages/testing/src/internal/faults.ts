/**
 * Fault injection for the sandbox's fake servers: a rule list, changed at run time by tests, and
 * the middleware that applies it in front of a fake server's app.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/**
 * One kind of fault:
 * - `Latency`: wait before handling (adds up with other latency rules, combines with one other fault);
 * - `Status`: answer with this status (and optional body / headers) instead of handling;
 * - `RateLimit`: answer 429 with `Retry-After` (default `"1"`);
 * - `ResetBeforeResponse`: read the request, then reset the connection without answering;
 * - `ResetMidBody`: send the real status, headers and the first half of the real body, then close
 *   the connection;
 * - `MalformedJson`: the real answer with its JSON broken (a stray `,,` before the end);
 * - `TruncatedJson`: the first half of the real body, with a matching `Content-Length` (these
 *   two leave a 204 or 304 answer alone: it has no body);
 * - `Hang`: accept the request and never answer (until the client gives up or the server stops);
 * - `LargeBody`: a 200 JSON body of `bytes` bytes, streamed (`announce` adds `Content-Length`).
 */
export type Fault = Data.TaggedEnum<{
  Latency: { readonly delay: Duration.DurationInput }
  Status: {
    readonly status: number
    readonly body?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
  RateLimit: { readonly retryAfter?: string | undefined }
  ResetBeforeResponse: {}
  ResetMidBody: {}
  MalformedJson: {}
  TruncatedJson: {}
  Hang: {}
  LargeBody: { readonly bytes: number; readonly announce?: boolean | undefined }
}>

/** Constructors of {@link Fault}. */
export const Fault = Data.taggedEnum<Fault>()

/** A fault, which requests it applies to, and how many times. */
export interface FaultRule {
  readonly fault: Fault
  /** How many matching requests it affects; default: every one until the rules change. */
  readonly times?: number | undefined
  /** Only requests with this method (case-insensitive). */
  readonly method?: string | undefined
  /** Only requests with this path (case-insensitive, exact) or whose path matches the RegExp. */
  readonly path?: string | RegExp | undefined
}

/** The fault controls of one fake server. */
export interface Faults {
  /** Replaces all rules. A bare `Fault` is a rule for every request. */
  readonly set: (...rules: ReadonlyArray<FaultRule | Fault>) => Effect.Effect<void>
  /** Adds rules after the existing ones. */
  readonly add: (...rules: ReadonlyArray<FaultRule | Fault>) => Effect.Effect<void>
  /** Removes all rules. */
  readonly clear: Effect.Effect<void>
  /** The rules still in force, with their remaining counts. */
  readonly rules: Effect.Effect<ReadonlyArray<FaultRule>>
  /** Wraps an app so the rules apply to it. */
  readonly middleware: <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R | HttpServerRequest.HttpServerRequest>
}

const isFault = (u: FaultRule | Fault): u is Fault => "_tag" in u

const toRule = (u: FaultRule | Fault): FaultRule => isFault(u) ? { fault: u } : { ...u }

const matches = (rule: FaultRule, method: string, path: string): boolean => {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false
  if (rule.path === undefined) return true
  return typeof rule.path === "string" ? rule.path.toLowerCase() === path.toLowerCase() : rule.path.test(path)
}

const encoder = new TextEncoder()

/** The body and metadata of the real answer, for faults that damage it. */
interface RealAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly contentType: string
  readonly bytes: Uint8Array
}

const realAnswer = (response: HttpServerResponse.HttpServerResponse): RealAnswer => {
  const body = response.body
  const bytes = body._tag === "Uint8Array" ? body.body : body._tag === "Raw" && typeof body.body === "string"
    ? encoder.encode(body.body)
    : encoder.encode("{\"fault\":\"the real answer had no inline body\"}")
  const contentType = body._tag === "Empty" ? "application/json" : body.contentType ?? "application/json"
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(response.headers)) {
    if (k !== "content-length" && k !== "content-type") headers[k] = v
  }
  return { status: response.status, headers, contentType, bytes }
}

// Faults that end the exchange abnormally park the handler here; the handler fiber is interrupted
// when the connection closes (client gave up, or the server shut down and dropped connections).
const parked = Effect.interruptible(Effect.never)

const resetBeforeResponse = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
  const socket = NodeHttpServerRequest.toServerResponse(request).socket
  if (socket !== null) socket.resetAndDestroy()
  return parked
})

const resetMidBody = (answer: RealAnswer) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const response = NodeHttpServerRequest.toServerResponse(request)
    const half = answer.bytes.subarray(0, Math.max(1, Math.floor(answer.bytes.length / 2)))
    response.writeHead(answer.status, {
      ...answer.headers,
      "content-type": answer.contentType,
      "content-length": String(Math.max(answer.bytes.length, half.length + 1))
    })
    return Effect.async<void>((resume) => {
      response.write(half, () => resume(Effect.void))
    }).pipe(
      // Let the partial body reach the client before the connection goes away.
      Effect.zipRight(Effect.sleep(Duration.millis(20))),
      Effect.zipRight(Effect.sync(() => response.socket?.destroy())),
      Effect.zipRight(parked),
      Effect.interruptible
    )
  })

// A 204 or 304 has no body to damage: one added there (with its Content-Length) would be a
// protocol violation the client sees as a broken connection, not the damaged JSON asked for.
const bodiless = (response: HttpServerResponse.HttpServerResponse): boolean =>
  response.status === 204 || response.status === 304

const malformed = (answer: RealAnswer): HttpServerResponse.HttpServerResponse => {
  const text = new TextDecoder().decode(answer.bytes).trimEnd()
  const broken = text.length > 1 ? `${text.slice(0, -1)},,${text.slice(-1)}` : "{,,}"
  return HttpServerResponse.text(broken, {
    status: answer.status,
    headers: answer.headers,
    contentType: answer.contentType
  })
}

const truncated = (answer: RealAnswer): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.uint8Array(answer.bytes.subarray(0, Math.floor(answer.bytes.length / 2)), {
    status: answer.status,
    headers: answer.headers,
    contentType: answer.contentType
  })

const largeBody = (bytes: number, announce: boolean): HttpServerResponse.HttpServerResponse => {
  const head = encoder.encode("{\"Data\":\"")
  const tail = encoder.encode("\"}")
  const size = Math.max(head.length + tail.length, Math.floor(bytes))
  const chunk = encoder.encode("x".repeat(64 * 1024))
  // Generated lazily, chunk by chunk: a 50 MB body never sits in memory.
  const filler = Stream.unfold(size - head.length - tail.length, (left) =>
    left <= 0
      ? Option.none()
      : Option.some([left >= chunk.length ? chunk : chunk.subarray(0, left), left - chunk.length] as const))
  return HttpServerResponse.stream(Stream.concat(Stream.concat(Stream.succeed(head), filler), Stream.succeed(tail)), {
    contentType: "application/json",
    ...(announce ? { contentLength: size } : {})
  })
}

/** Creates an empty rule list and its middleware. */
export const make: Effect.Effect<Faults> = Effect.sync(() => {
  let rules: Array<{ rule: FaultRule; left: number }> = []
  const load = (input: ReadonlyArray<FaultRule | Fault>) =>
    input.map(toRule).map((rule) => ({
      rule,
      left: rule.times === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(rule.times))
    }))

  /** Consumes the rules matching a request: all latency rules and the first other fault. */
  const take = (method: string, path: string): { readonly delay: Duration.Duration; readonly fault?: Fault } => {
    let delay = Duration.zero
    let fault: Fault | undefined
    for (const entry of rules) {
      if (entry.left <= 0 || !matches(entry.rule, method, path)) continue
      const f = entry.rule.fault
      if (f._tag === "Latency") {
        delay = Duration.sum(delay, Duration.decode(f.delay))
        entry.left--
      } else if (fault === undefined) {
        fault = f
        entry.left--
      }
    }
    rules = rules.filter((entry) => entry.left > 0)
    return fault === undefined ? { delay } : { delay, fault }
  }

  const apply = <E, R>(
    app: HttpApp.Default<E, R>,
    fault: Fault
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest> => {
    switch (fault._tag) {
      case "Latency":
        return app
      case "Status":
        return Effect.succeed(HttpServerResponse.text(fault.body ?? "", {
          status: fault.status,
          ...(fault.headers === undefined ? {} : { headers: fault.headers })
        }))
      case "RateLimit":
        return Effect.succeed(HttpServerResponse.text("Too Many Requests", {
          status: 429,
          headers: { "retry-after": fault.retryAfter ?? "1" }
        }))
      case "ResetBeforeResponse":
        return resetBeforeResponse
      case "ResetMidBody":
        return Effect.flatMap(app, (response) => resetMidBody(realAnswer(response)))
      case "MalformedJson":
        return Effect.map(app, (response) => bodiless(response) ? response : malformed(realAnswer(response)))
      case "TruncatedJson":
        return Effect.map(app, (response) => bodiless(response) ? response : truncated(realAnswer(response)))
      case "Hang":
        return parked
      case "LargeBody":
        return Effect.succeed(largeBody(fault.bytes, fault.announce === true))
    }
  }

  return {
    set: (...input) => Effect.sync(() => {
      rules = load(input)
    }),
    add: (...input) => Effect.sync(() => {
      rules = [...rules, ...load(input)]
    }),
    clear: Effect.sync(() => {
      rules = []
    }),
    rules: Effect.sync(() =>
      rules.map(({ left, rule }) => ({ ...rule, ...(Number.isFinite(left) ? { times: left } : {}) }))
    ),
    middleware: (app) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const path = new URL(request.url, "http://fake.invalid").pathname
        const { delay, fault } = take(request.method, path)
        const run = fault === undefined ? app : apply(app, fault)
        return Duration.greaterThan(delay, Duration.zero)
          ? Effect.zipRight(Effect.interruptible(Effect.sleep(delay)), run)
          : run
      })
  }
})
