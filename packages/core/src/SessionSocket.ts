/**
 * The session WebSocket of a signed-in (server, user) — Jellyfin's `/socket`, Emby's
 * `/embywebsocket` — with server messages (`UserDataChanged`, `Play`, `LibraryChanged`, …) as a
 * `Stream`, kept alive and reconnected.
 *
 * - Authentication: a WebSocket in a browser cannot send headers, so the token travels in the
 *   query parameter the profile reads whatever its legacy switch: `?ApiKey=` on Jellyfin
 *   (`?api_key=` fails once legacy authorization is off, as on Jellyfin 12), `?api_key=` on Emby,
 *   whose socket is `/embywebsocket` at the server's root (beside `/emby`), as Emby's JavaScript
 *   client opens it. The URL is never logged or put in an error unmasked.
 * - Keep-alive: the server sends `ForceKeepAlive` with its lost-socket timeout in seconds (60);
 *   the client answers `KeepAlive` at once and then every half timeout, as `@jellyfin/sdk` does.
 *   Keep-alive traffic is not part of the stream.
 * - Reconnects: when the socket closes or cannot open, the client waits (exponential from
 *   `initialDelay`, factor 1.5, at most `maxDelay`, jittered) and opens it again; `maxAttempts`
 *   failures in a row end the stream with `SessionSocketError(Unreachable)`. A token the server
 *   rejects is not retried: after a failed open the token is checked over HTTP, and a 401 ends the
 *   stream with `SessionSocketError(TokenRejected)`.
 *
 * Needs a `Socket.WebSocketConstructor` (browsers: `Socket.layerWebSocketConstructorGlobal`; Node:
 * `NodeSocket.layerWebSocketConstructor` from `@effect/platform-node`) and an `HttpClient`.
 * Sources: `docs/jellyfin-12-and-emby-4.9.md`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Socket from "@effect/platform/Socket"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Credentials from "./Credentials.js"
import * as Profiles from "./internal/profiles.js"
import * as Redaction from "./internal/redaction.js"

/**
 * What the stream carries: `Connected` each time the socket opens (the first, and after every
 * reconnect), then the server's messages.
 *
 * @since 0.1.0
 * @category models
 */
export type Event = Data.TaggedEnum<{
  Connected: { readonly attempt: number }
  Message: { readonly messageType: string; readonly messageId: string | undefined; readonly data: unknown }
}>

/**
 * @since 0.1.0
 * @category constructors
 */
export const Event = Data.taggedEnum<Event>()

/**
 * The stream ended: the server rejected the token (`TokenRejected`: sign in again), or the socket
 * could not be opened `maxAttempts` times in a row (`Unreachable`). `address` has no token in it.
 *
 * @since 0.1.0
 * @category errors
 */
export class SessionSocketError extends Schema.TaggedError<SessionSocketError>(
  "@mbauth/core/SessionSocket/SessionSocketError"
)("SessionSocketError", {
  reason: Schema.Literal("TokenRejected", "Unreachable"),
  address: Schema.String,
  attempts: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    switch (this.reason) {
      case "TokenRejected":
        return `The server at ${this.address} rejected the token for its WebSocket: it was signed out or replaced. Sign in again.`
      case "Unreachable":
        return `The WebSocket at ${this.address} could not be opened ${this.attempts} times in a row. Check that the server ` +
          `runs and that a proxy in front of it forwards WebSocket upgrades.`
    }
  }
}

/**
 * Options of {@link messages}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The server's API base address, e.g. `http://192.168.1.20:8096` (with its base path, if any). */
  readonly address: string
  readonly profile: Credentials.ProfileName
  /** The signed-in user's access token. */
  readonly token: Redacted.Redacted<string>
  /** Sent as `deviceId`, as Jellyfin's web client and Emby's JavaScript client do (optional). */
  readonly deviceId?: string | undefined
  /** Delay before the first reconnect; default 1 second. */
  readonly initialDelay?: Duration.DurationInput | undefined
  /** Longest delay between reconnects; default 1 minute. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** Failed opens in a row before the stream fails; default 10. */
  readonly maxAttempts?: number | undefined
  /** How long an open may take; default 10 seconds. */
  readonly openTimeout?: Duration.DurationInput | undefined
}

/** One socket's life ended (closed, failed to open): reconnect unless the token is the cause. */
class Disconnected extends Data.TaggedError("Disconnected")<{ readonly opened: boolean }> {}

const InboundMessage = Schema.parseJson(Schema.Struct({
  MessageType: Schema.String,
  MessageId: Schema.optional(Schema.String),
  Data: Schema.optional(Schema.Unknown)
}))
const decodeMessage = Schema.decodeUnknownOption(InboundMessage)

const keepAlive = JSON.stringify({ MessageType: "KeepAlive" })

const baseOf = (address: string): URL => {
  const url = new URL(address.trim())
  url.search = ""
  url.hash = ""
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`
  return url
}

// Emby's API lives under /emby (or /mediabrowser); its socket and the address clients are given do not.
const embyRoot = (base: URL): URL => new URL(base.pathname.match(/\/(emby|mediabrowser)\/$/i) === null ? "./" : "../", base)

// The query parameter the profile reads a token from whatever its legacy switch: ApiKey on
// Jellyfin, api_key on Emby.
const tokenParameter = (profile: Credentials.ProfileName): string => {
  const source = Profiles.profile(profile).tokenOrder.find((s) => !s.gatedByLegacy && Profiles.transport(s.transport).kind === "query")
  return source === undefined ? "ApiKey" : Profiles.transport(source.transport).key
}

/** The socket URL: `ws(s)://…/socket?ApiKey=…` (Jellyfin) or `ws(s)://…/embywebsocket?api_key=…` (Emby), `&deviceId=…` when given. */
const socketUrl = (
  profile: Credentials.ProfileName,
  base: URL,
  token: Redacted.Redacted<string>,
  deviceId: string | undefined
): string => {
  const url = profile === "emby" ? new URL("embywebsocket", embyRoot(base)) : new URL("socket", base)
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:"
  url.searchParams.set(tokenParameter(profile), Redacted.value(token))
  if (deviceId !== undefined && deviceId !== "") url.searchParams.set("deviceId", deviceId)
  return url.toString()
}

/** One socket: `Connected`, then messages; ends with `Disconnected`. */
const session = (
  url: string,
  attempt: number,
  openTimeout: Duration.DurationInput
): Stream.Stream<Event, Disconnected, Socket.WebSocketConstructor> =>
  Stream.asyncScoped<Event, Disconnected, Socket.WebSocketConstructor>((emit) =>
    Effect.gen(function*() {
      let opened = false
      const socket = yield* Socket.makeWebSocket(url, { openTimeout, closeCodeIsError: () => true })
      const write = yield* socket.writer
      const send = (text: string) => Effect.ignore(write(text))
      let beat: Fiber.RuntimeFiber<unknown> | undefined
      const onMessage = (data: string | Uint8Array) => {
        const message = decodeMessage(typeof data === "string" ? data : new TextDecoder().decode(data))
        if (message._tag === "None") return Effect.void
        const { Data: payload, MessageId, MessageType } = message.value
        if (MessageType === "KeepAlive") return Effect.void
        if (MessageType === "ForceKeepAlive") {
          // Answer now, then every half timeout; a later ForceKeepAlive replaces the rhythm.
          const seconds = typeof payload === "number" && payload > 0 ? payload : 60
          return Effect.gen(function*() {
            if (beat !== undefined) yield* Fiber.interrupt(beat)
            yield* send(keepAlive)
            beat = yield* Effect.forkScoped(
              Effect.repeat(Effect.delay(send(keepAlive), Duration.millis(seconds * 500)), Schedule.forever)
            )
          })
        }
        return Effect.promise(() =>
          emit.single(Event.Message({ messageType: MessageType, messageId: MessageId, data: payload }))
        )
      }
      yield* socket.runRaw(onMessage, {
        onOpen: Effect.suspend(() => {
          opened = true
          return Effect.promise(() => emit.single(Event.Connected({ attempt })))
        })
      }).pipe(
        Effect.scoped,
        // Not awaited: once the consumer is gone nobody takes the end, and a finalizer must not wait.
        Effect.ensuring(Effect.sync(() => void emit.fail(new Disconnected({ opened })))),
        Effect.forkScoped
      )
    })
  )

/**
 * The session WebSocket of a signed-in user as a stream of {@link Event}s, reconnecting until the
 * stream is interrupted or fails with {@link SessionSocketError}.
 *
 * @example
 * ```ts
 * import * as NodeSocket from "@effect/platform-node/NodeSocket"
 * import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 * import * as Stream from "effect/Stream"
 * import * as SessionSocket from "@mbauth/core/SessionSocket"
 *
 * const program = SessionSocket.messages({
 *   address: "http://192.168.1.20:8096",
 *   profile: "jellyfin-12",
 *   token: Redacted.make("…")
 * }).pipe(
 *   Stream.runForEach((event) => Effect.log(event._tag === "Message" ? event.messageType : "connected")),
 *   Effect.provide(Layer.merge(NodeSocket.layerWebSocketConstructor, FetchHttpClient.layer))
 * )
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const messages = (
  options: Options
): Stream.Stream<Event, SessionSocketError, Socket.WebSocketConstructor | HttpClient.HttpClient> =>
  Stream.unwrap(Effect.gen(function*() {
    const base = baseOf(options.address)
    const masked = Redaction.redactUrl(socketUrl(options.profile, base, Redacted.make("token"), undefined))
    const failWith = (reason: SessionSocketError["reason"], attempts: number) =>
      new SessionSocketError({ reason, address: masked, attempts })
    const url = socketUrl(options.profile, base, options.token, options.deviceId)
    const infoUrl = options.profile === "emby" ? new URL("emby/System/Info", embyRoot(base)) : new URL("System/Info", base)
    const http = yield* HttpClient.HttpClient
    const maxAttempts = options.maxAttempts ?? 10
    const openTimeout = options.openTimeout ?? Duration.seconds(10)

    /** After a failed open: does the server still know the token? (Only a clear 401/403 says no.) */
    const tokenRejected = http.execute(
      HttpClientRequest.get(infoUrl).pipe(
        HttpClientRequest.setHeader("Authorization", `MediaBrowser Token="${encodeURIComponent(Redacted.value(options.token))}"`)
      )
    ).pipe(
      Effect.map((response) => response.status === 401 || response.status === 403),
      Effect.timeout(openTimeout),
      Effect.orElseSucceed(() => false),
      Effect.scoped
    )

    let failures = 0
    let attempt = 0
    const once = Stream.suspend(() => session(url, ++attempt, openTimeout)).pipe(
      Stream.tap((event) => Effect.sync(() => event._tag === "Connected" && (failures = 0))),
      Stream.catchAll((disconnected) =>
        Stream.fromEffect(Effect.gen(function*() {
          if (!disconnected.opened) failures++
          if (!disconnected.opened && (yield* tokenRejected)) return yield* failWith("TokenRejected", failures)
          if (failures >= maxAttempts) return yield* failWith("Unreachable", failures)
          return yield* new Disconnected(disconnected)
        })).pipe(Stream.drain)
      )
    )
    const backoff = Schedule.exponential(options.initialDelay ?? Duration.seconds(1), 1.5).pipe(
      Schedule.either(Schedule.spaced(options.maxDelay ?? Duration.minutes(1))),
      Schedule.jittered,
      Schedule.whileInput((error: Disconnected | SessionSocketError) => error._tag === "Disconnected")
    )
    return once.pipe(
      Stream.retry(backoff),
      Stream.catchTag("Disconnected", () => Stream.fail(failWith("Unreachable", failures)))
    )
  }))
