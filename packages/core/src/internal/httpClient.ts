/**
 * The HTTP plumbing shared by every mbauth client (Emby Connect, and the Jellyfin / Emby server
 * client built on the same helper).
 *
 * `make(httpClient, options)` turns a raw @effect/platform `HttpClient` and a base URL into a
 * {@link Client} whose calls
 * - resolve a relative path against the base URL (`"user/authenticate"`; a leading `/` is ignored,
 *   so a base of `http://host/emby/` keeps its `/emby`);
 * - take secrets as `Redacted` in query, headers, form and JSON bodies and unwrap them only here,
 *   where the wire request is built; every such secret is also scrubbed from error excerpts;
 * - send form bodies as `application/x-www-form-urlencoded; charset=UTF-8` (what the official
 *   MediaBrowser clients send) or JSON;
 * - apply the {@link ClientPolicy.Settings}: a timeout per attempt (body included), a body size
 *   limit, and retries of transient failures for idempotent calls only, with exponential backoff,
 *   jitter and `Retry-After`;
 * - never follow redirects (they would carry the request's credentials elsewhere);
 * - map every failure to a {@link ClientError}: `ServerUnreachable` (transport, with its `reason`),
 *   `Timeout`, `RateLimited` (429), `Unauthorized` (401/403 unless the call maps it),
 *   `UnexpectedResponse` (redirects, other statuses, web pages, bad JSON, wrong shape; with a
 *   redacted body excerpt).
 *
 * Calls register extra header names in `Headers.currentRedactedNames` while they run, so the
 * platform's spans never show the MediaBrowser token headers, and send no trace-propagation
 * headers (the services are third parties).
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as ClientError from "../ClientError.js"
import type * as ClientPolicy from "../ClientPolicy.js"
import { excerpt, redactText, safeAddress, scrubValues, withRedactedHeaderNames } from "./redaction.js"

/** A wire value: plain, or a secret unwrapped only when the request is built. */
export type Value = string | Redacted.Redacted<string>

/** Options of {@link make}. */
export interface MakeOptions {
  /** Human name of the service, used in error messages ("Emby Connect", "Jellyfin server"). */
  readonly service: string
  /** Base URL; a trailing `/` is added when missing. */
  readonly baseUrl: string | URL
  readonly settings: ClientPolicy.Settings
  /** Headers sent with every request (e.g. `X-Application`). */
  readonly headers?: Readonly<Record<string, Value>> | undefined
}

/** What a status mapper sees. */
export interface StatusContext {
  readonly status: number
  readonly service: string
  readonly address: string
  /** The redacted body excerpt. */
  readonly excerpt: string
}

/** One call. */
export interface Request {
  readonly method: HttpMethod
  /** Relative to the base URL. */
  readonly path: string
  readonly query?: Readonly<Record<string, Value | undefined>> | undefined
  readonly headers?: Readonly<Record<string, Value | undefined>> | undefined
  /** A form body (`application/x-www-form-urlencoded; charset=UTF-8`). */
  readonly form?: Readonly<Record<string, Value | undefined>> | undefined
  /** A JSON body; `Redacted` values anywhere inside are unwrapped. */
  readonly json?: unknown
  /**
   * Whether repeating the call is harmless. Defaults to true for GET, HEAD, OPTIONS, PUT and
   * DELETE, false otherwise. Only idempotent calls are retried.
   */
  readonly idempotent?: boolean | undefined
  /** More secret values to scrub from errors (e.g. a token the answer might echo). */
  readonly secrets?: ReadonlyArray<Redacted.Redacted<string>> | undefined
  /**
   * Maps a non-2xx status to a specific error before the defaults apply. It is not consulted for
   * 408, 429 and 5xx, which are always transient.
   */
  readonly statusError?: ((context: StatusContext) => ClientError.ClientError | undefined) | undefined
  /** Non-2xx statuses to return as a normal response instead of failing. */
  readonly acceptStatus?: ReadonlyArray<number> | undefined
  /** Recovery advice for the default `Unauthorized` error. */
  readonly recovery?: string | undefined
}

/** A complete answer. */
export interface Response {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
  readonly address: string
  /** The secrets of the request, for scrubbing decode errors. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

/** A client bound to a base URL and policy. */
export interface Client {
  readonly service: string
  /** The normalised base URL (ends with `/`). */
  readonly baseUrl: string
  /** Sends a request; fails with a ClientError for non-2xx answers (see {@link Request}). */
  readonly send: (request: Request) => Effect.Effect<Response, ClientError.ClientError>
  /** Sends a request and decodes the JSON answer with the schema. */
  readonly json: <A, I>(
    request: Request,
    schema: Schema.Schema<A, I, never>
  ) => Effect.Effect<A, ClientError.ClientError>
}

/** The default recovery advice of `Unauthorized`. */
export const DEFAULT_RECOVERY = "Sign in again to get a new token."

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504])
const HEADER_VALUE_FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]/

/** A failed attempt, with what the retry schedule needs to know. */
class Failure {
  constructor(
    readonly error: ClientError.ClientError,
    readonly transient: boolean,
    readonly retryAfter: Duration.Duration | undefined
  ) {}
}

const failure = (
  error: ClientError.ClientError,
  transient = false,
  retryAfter: Duration.Duration | undefined = undefined
): Failure => new Failure(error, transient, retryAfter)

/** The prepared wire request. */
interface Prepared {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly address: string
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  readonly idempotent: boolean
}

const normaliseBase = (baseUrl: string | URL): Either.Either<URL, string> => {
  try {
    const url = new URL(baseUrl)
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return Either.left(`unsupported scheme ${url.protocol} (use http: or https:)`)
    }
    if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`
    url.search = ""
    url.hash = ""
    return Either.right(url)
  } catch {
    return Either.left("invalid base URL")
  }
}

const unwrap = (value: Value, secrets: Array<Redacted.Redacted<string>>): string => {
  if (Redacted.isRedacted(value)) {
    secrets.push(value)
    return Redacted.value(value)
  }
  return value
}

const unwrapJson = (value: unknown, secrets: Array<Redacted.Redacted<string>>): unknown => {
  if (Redacted.isRedacted(value)) {
    const inner = Redacted.value(value)
    if (typeof inner === "string") secrets.push(value as Redacted.Redacted<string>)
    return inner
  }
  if (Array.isArray(value)) return value.map((v) => unwrapJson(v, secrets))
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = unwrapJson(v, secrets)
    return out
  }
  return value
}

const secretStrings = (secrets: ReadonlyArray<Redacted.Redacted<string>>): ReadonlyArray<string> =>
  secrets.map(Redacted.value)

/** Describes a transport failure from its cause chain, without secrets. */
export const describeCause = (cause: unknown, secrets: ReadonlyArray<Redacted.Redacted<string>> = []): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (Predicate.hasProperty(current, "message") && typeof current.message === "string") {
      const code = Predicate.hasProperty(current, "code") && typeof current.code === "string" ? current.code : undefined
      const text = current.message === "" && code === undefined ? undefined : current.message
      const part = code !== undefined && text !== undefined && !text.includes(code) ? `${code}: ${text}` : text ?? code
      if (part !== undefined && !parts.includes(part)) parts.push(part)
      current = Predicate.hasProperty(current, "cause") ? current.cause : undefined
    } else {
      parts.push(String(current))
      current = undefined
    }
  }
  const text = parts.length === 0 ? "unknown transport error" : parts.reverse().join(" (from ") +
    ")".repeat(Math.max(0, parts.length - 1))
  // Messages of transport errors sometimes contain the URL: strip query strings and user info.
  const cleaned = text.replace(/(https?:\/\/)[^\s/@]*@/g, "$1").replace(/(https?:\/\/[^\s?#]*)[?#][^\s)]*/g, "$1")
  const scrubbed = scrubValues(redactText(cleaned), secretStrings(secrets))
  return scrubbed.length > 300 ? `${scrubbed.slice(0, 300)}…` : scrubbed
}

const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|HOSTNAME_MISMATCH)/

/** The kind of a transport failure, from the error codes (and, for TLS, messages) of its cause chain. */
export const transportReason = (cause: unknown): ClientError.UnreachableReason => {
  let current: unknown = cause
  for (let depth = 0; depth < 6 && Predicate.isObject(current); depth++) {
    const code = Predicate.hasProperty(current, "code") && typeof current.code === "string" ? current.code : ""
    const message = Predicate.hasProperty(current, "message") && typeof current.message === "string" ? current.message : ""
    if (code === "ECONNREFUSED") return "ConnectionRefused"
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return "HostNotFound"
    if (TLS_CODE.test(code) || /\b(SSL|TLS)\b|certificate/i.test(message)) return "TlsFailure"
    if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || /other side closed/i.test(message)) {
      return "ConnectionReset"
    }
    current = Predicate.hasProperty(current, "cause") ? current.cause : undefined
  }
  return "Other"
}

/** Whether a body is a web page rather than an API answer. */
const isHtml = (headers: Headers.Headers, body: string): boolean =>
  /\btext\/html\b/i.test(headers["content-type"] ?? "") || /^\s*<(!doctype\s+html|html|head|body)\b/i.test(body)

/** Parses `Retry-After`: delay-seconds or an HTTP date. */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d{1,9}$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  if (!/[a-z]/i.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Duration.millis(Math.max(0, date - nowMillis))
}

class BodyTooLarge {
  readonly _tag = "BodyTooLarge"
  constructor(readonly size: number | undefined) {}
}

const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Uint8Array, BodyTooLarge | HttpClientError.ResponseError> => {
  const declared = Number(response.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) return Effect.fail(new BodyTooLarge(declared))
  return Stream.runFoldEffect(
    response.stream,
    { chunks: [] as Array<Uint8Array>, size: 0 },
    (acc, chunk): Effect.Effect<{ chunks: Array<Uint8Array>; size: number }, BodyTooLarge> => {
      const size = acc.size + chunk.length
      if (size > limit) return Effect.fail(new BodyTooLarge(undefined))
      acc.chunks.push(chunk)
      return Effect.succeed({ chunks: acc.chunks, size })
    }
  ).pipe(
    // A response without a body (204, 304, or a fetch Response with `body: null`) reads as empty.
    Effect.catchIf(
      (error): error is HttpClientError.ResponseError => !(error instanceof BodyTooLarge) && error.reason === "EmptyBody",
      () => Effect.succeed({ chunks: [] as Array<Uint8Array>, size: 0 })
    ),
    Effect.map(({ chunks, size }) => {
      const out = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        out.set(chunk, offset)
        offset += chunk.length
      }
      return out
    })
  )
}

const decoder = new TextDecoder("utf-8")

const formatIssues = (error: ParseResult.ParseError, secrets: ReadonlyArray<string>): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const shown = issues.slice(0, 3).map((issue) => {
    const path = issue.path.length === 0 ? "body" : issue.path.map(String).join(".")
    // Messages quote the offending value ("Expected string, actual …"): drop it, it may be a secret.
    const message = issue.message.replace(/,?\s*actual\s[\s\S]*$/, "").replace(/\s+/g, " ").trim()
    return `${path}: ${message}`
  })
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : ""
  return scrubValues(redactText(shown.join("; ") + more), secrets)
}

/**
 * Decodes a complete answer as JSON with the schema; failures become `UnexpectedResponse` with a
 * secret-free issue and excerpt.
 */
export const decodeJson = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (service: string, response: Response): Effect.Effect<A, ClientError.UnexpectedResponse> =>
    Effect.suspend(() => {
      const secrets = secretStrings(response.secrets)
      const unexpected = (issue: string, reason?: "HtmlPage") =>
        new ClientError.UnexpectedResponse({
          service,
          address: response.address,
          status: response.status,
          issue,
          excerpt: excerpt(response.body, secrets),
          ...(reason === undefined ? {} : { reason })
        })
      if (response.body.trim() === "") return Effect.fail(unexpected("the body is empty, JSON was expected"))
      if (isHtml(response.headers, response.body)) {
        return Effect.fail(unexpected(
          "a web page (HTML) answered instead of the API: this address is not the API itself (a reverse proxy's " +
            "page, a login portal, a router?)",
          "HtmlPage"
        ))
      }
      let json: unknown
      try {
        json = JSON.parse(response.body)
      } catch (e) {
        // JSON.parse messages quote the input; only say which kind of damage it is.
        const truncated = e instanceof Error && /end of (JSON )?input|Unterminated/i.test(e.message)
        return Effect.fail(
          unexpected(truncated ? "the body is not valid JSON (it ends too early)" : "the body is not valid JSON")
        )
      }
      const result = decode(json, { errors: "all", onExcessProperty: "ignore" })
      return Either.isRight(result)
        ? Effect.succeed(result.right)
        : Effect.fail(unexpected(`the JSON does not have the expected shape: ${formatIssues(result.left, secrets)}`))
    })
}

/**
 * The retry schedule of a policy, over failed attempts: exponential from `backoff`, each delay
 * capped at `maxBackoff`, optionally jittered, stretched to honour `Retry-After`, at most
 * `retries` times, only while the failure is transient and its `Retry-After` acceptable.
 */
const retrySchedule = (settings: ClientPolicy.Settings, service: string) =>
  Schedule.exponential(settings.backoff, 2).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, settings.maxBackoff)),
    (s) => settings.jitter ? Schedule.jittered(s) : s,
    Schedule.intersect(Schedule.recurs(settings.retries)),
    Schedule.intersect(Schedule.identity<Failure>()),
    Schedule.whileInput((f: Failure) =>
      f.transient && (f.retryAfter === undefined || Duration.lessThanOrEqualTo(f.retryAfter, settings.maxRetryAfter))
    ),
    Schedule.modifyDelay(([, f], delay) => f.retryAfter === undefined ? delay : Duration.max(delay, f.retryAfter)),
    Schedule.tapOutput(([[delay, attempt], f]) =>
      Effect.logDebug(`${service}: retrying (${attempt + 1}/${settings.retries}) after ${f.error._tag}`).pipe(
        Effect.annotateLogs({ delay: Duration.format(delay), reason: f.error.message })
      )
    )
  )

/**
 * Runs a request with `fetch` told not to follow redirects (the Node client never does): a followed
 * redirect would re-send the request's credentials to wherever it points, and undici cannot re-send
 * a body it has already sent ("detached ArrayBuffer").
 */
const withoutRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...Option.getOrElse(init, () => ({})),
        redirect: "manual"
      })
  )

/**
 * Builds a client from a raw HttpClient. See the module documentation for the rules it applies.
 */
export const make = (httpClient: HttpClient.HttpClient, options: MakeOptions): Client => {
  const { service, settings } = options
  const base = normaliseBase(options.baseUrl)
  const baseUrl = Either.isRight(base) ? base.right.toString() : String(options.baseUrl)
  // Requests are tied to a scope per attempt, so a timeout, a refused oversized body or an
  // interruption aborts the underlying connection instead of leaving it to download.
  const scopedClient = httpClient.pipe(HttpClient.withTracerPropagation(false), HttpClient.withScope)
  const schedule = retrySchedule(settings, service)

  const prepare = (request: Request): Either.Either<Prepared, Failure> => {
    const secrets: Array<Redacted.Redacted<string>> = [...(request.secrets ?? [])]
    if (Either.isLeft(base)) {
      return Either.left(failure(
        new ClientError.ServerUnreachable({ service, address: safeAddress(String(options.baseUrl)), cause: base.left })
      ))
    }
    const url = new URL(request.path.replace(/^\/+/, ""), base.right)
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.append(key, unwrap(value, secrets))
    }
    const address = safeAddress(url)
    const headers: Record<string, string> = { accept: "application/json" }
    for (const [key, value] of [...Object.entries(options.headers ?? {}), ...Object.entries(request.headers ?? {})]) {
      if (value === undefined) continue
      const wire = unwrap(value, secrets)
      if (HEADER_VALUE_FORBIDDEN.test(wire)) {
        return Either.left(failure(
          new ClientError.ServerUnreachable({
            service,
            address,
            cause: `request not sent: the ${key} header value contains a control character or line break`
          })
        ))
      }
      headers[key.toLowerCase()] = wire
    }
    let httpRequest = HttpClientRequest.make(request.method)(url, { headers })
    if (request.form !== undefined) {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(request.form)) {
        if (value !== undefined) params.append(key, unwrap(value, secrets))
      }
      httpRequest = HttpClientRequest.bodyText(
        httpRequest,
        params.toString(),
        "application/x-www-form-urlencoded; charset=UTF-8"
      )
    } else if (request.json !== undefined) {
      httpRequest = HttpClientRequest.bodyText(
        httpRequest,
        JSON.stringify(unwrapJson(request.json, secrets)),
        "application/json"
      )
    }
    return Either.right({
      request: httpRequest,
      address,
      secrets,
      idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method)
    })
  }

  const fromTransport = (prepared: Prepared, error: HttpClientError.HttpClientError): Failure => {
    const unreachable = (cause: string, reason: ClientError.UnreachableReason) =>
      new ClientError.ServerUnreachable({ service, address: prepared.address, cause, reason })
    const cause = error.cause ?? error
    if (error._tag === "RequestError") {
      return error.reason === "Transport"
        ? failure(unreachable(describeCause(cause, prepared.secrets), transportReason(cause)), true)
        : failure(unreachable(`request not sent (${error.reason}): ${describeCause(cause, prepared.secrets)}`, "NotSent"))
    }
    // A ResponseError here comes from reading the body: the connection broke mid-answer.
    return failure(
      unreachable(`the connection broke while reading the answer: ${describeCause(cause, prepared.secrets)}`, "ConnectionReset"),
      true
    )
  }

  const classify = (
    request: Request,
    prepared: Prepared,
    response: HttpClientResponse.HttpClientResponse,
    bytes: Uint8Array
  ): Effect.Effect<Response, Failure> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const status = response.status
      const body = decoder.decode(bytes)
      const result: Response = { status, headers: response.headers, body, address: prepared.address, secrets: prepared.secrets }
      if ((status >= 200 && status < 300) || (request.acceptStatus ?? []).includes(status)) {
        return Effect.succeed(result)
      }
      const context: StatusContext = {
        status,
        service,
        address: prepared.address,
        excerpt: excerpt(body, secretStrings(prepared.secrets))
      }
      const retryAfter = parseRetryAfter(response.headers["retry-after"], now)
      if (status === 429) {
        return Effect.fail(failure(
          new ClientError.RateLimited({
            service,
            address: prepared.address,
            ...(retryAfter === undefined ? {} : { retryAfter })
          }),
          true,
          retryAfter
        ))
      }
      const unexpected = (issue: string, reason?: "HtmlPage" | "Redirect") =>
        new ClientError.UnexpectedResponse({
          service,
          address: prepared.address,
          status,
          issue,
          excerpt: context.excerpt,
          ...(reason === undefined ? {} : { reason })
        })
      // Redirects are not followed: the credentials of the request would go wherever they point.
      // (A browser's fetch reports a redirect it did not follow as status 0.)
      if ((status >= 300 && status < 400) || status === 0) {
        const location = response.headers["location"]
        const to = location === undefined || !URL.canParse(location, prepared.request.url)
          ? ""
          : ` to ${safeAddress(new URL(location, prepared.request.url).toString())}`
        return Effect.fail(failure(unexpected(
          `it redirected (HTTP ${status})${to}, which is not followed: use the address it redirects to`,
          "Redirect"
        )))
      }
      if (TRANSIENT_STATUSES.has(status)) {
        return Effect.fail(failure(unexpected(`HTTP ${status}, a server-side or transient failure`), true, retryAfter))
      }
      const mapped = request.statusError?.(context)
      if (mapped !== undefined) return Effect.fail(failure(mapped))
      if (status === 401 || status === 403) {
        return Effect.fail(failure(
          new ClientError.Unauthorized({
            service,
            address: prepared.address,
            status,
            recovery: request.recovery ?? DEFAULT_RECOVERY
          })
        ))
      }
      return Effect.fail(failure(unexpected(`HTTP ${status}`)))
    })

  const attempt = (request: Request, prepared: Prepared): Effect.Effect<Response, Failure> =>
    Effect.scoped(
      Effect.flatMap(withoutRedirects(scopedClient.execute(prepared.request)), (response) =>
        Effect.map(readBody(response, settings.maxResponseBytes), (bytes) => ({ response, bytes })).pipe(
          Effect.catchIf(
            (e): e is BodyTooLarge => e instanceof BodyTooLarge,
            (e) =>
              Effect.fail(failure(
                new ClientError.UnexpectedResponse({
                  service,
                  address: prepared.address,
                  status: response.status,
                  issue: `the body is larger than the ${settings.maxResponseBytes}-byte limit` +
                    (e.size === undefined ? "" : ` (${e.size} bytes announced)`),
                  excerpt: ""
                })
              ))
          )
        ))
    ).pipe(
      Effect.timeoutFail({
        duration: settings.timeout,
        onTimeout: () =>
          failure(new ClientError.Timeout({ service, address: prepared.address, timeout: settings.timeout }), true)
      }),
      Effect.mapError((e) => e instanceof Failure ? e : fromTransport(prepared, e)),
      Effect.flatMap(({ bytes, response }) => classify(request, prepared, response, bytes))
    )

  const send = (request: Request): Effect.Effect<Response, ClientError.ClientError> =>
    Effect.suspend(() => {
      const prepared = prepare(request)
      if (Either.isLeft(prepared)) return Effect.fail(prepared.left.error)
      const once = attempt(request, prepared.right)
      const retried = prepared.right.idempotent && settings.retries > 0 ? Effect.retry(once, schedule) : once
      return Effect.mapError(retried, (f) => f.error)
    }).pipe(withRedactedHeaderNames)

  return {
    service,
    baseUrl,
    send,
    json: (request, schema) => {
      const decode = decodeJson(schema)
      return Effect.flatMap(send(request), (response) => decode(service, response))
    }
  }
}
