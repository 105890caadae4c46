/**
 * Timeouts and retries for mbauth's HTTP clients, configurable per client.
 *
 * The rules every client follows (see `internal/httpClient.ts`):
 * - every attempt has a timeout (`timeout`), covering the whole answer, body included;
 * - only transient failures are retried: connection errors, timeouts, 408, 500, 502, 503, 504 and
 *   429; never 401/403 or any other 4xx;
 * - only idempotent calls are retried (GET, or a call the client marks as safe to repeat, such as
 *   a sign-in that merely mints another token);
 * - at most `retries` retries, waiting `backoff`, 2×, 4×, … (capped at `maxBackoff`, ±20 % jitter),
 *   or longer when the service sends `Retry-After`; a `Retry-After` beyond `maxRetryAfter` is not
 *   waited for: the call fails with `RateLimited` at once;
 * - response bodies above `maxResponseBytes` are refused;
 * - everything is interruptible: interrupting a call aborts the request or the wait at once.
 *
 * `ClientPolicy` is a `Context.Reference`: without a layer, clients use {@link defaults}.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * The resolved settings one client runs with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** Per attempt, for the whole answer including the body. */
  readonly timeout: Duration.Duration
  /** Retries after the first attempt (0 = never retry). */
  readonly retries: number
  /** The first backoff delay; each further retry doubles it. */
  readonly backoff: Duration.Duration
  /** Cap for one backoff delay (before jitter). */
  readonly maxBackoff: Duration.Duration
  /** Randomise each delay by ±20 % so clients do not retry in lock-step. */
  readonly jitter: boolean
  /** The longest `Retry-After` a client waits for; longer ones fail with `RateLimited` at once. */
  readonly maxRetryAfter: Duration.Duration
  /** Response bodies larger than this fail with `UnexpectedResponse`. */
  readonly maxResponseBytes: number
}

/**
 * Partial settings, as given by users. Durations accept `"5 seconds"`, millis, or a `Duration`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Overrides {
  readonly timeout?: Duration.DurationInput | undefined
  readonly retries?: number | undefined
  readonly backoff?: Duration.DurationInput | undefined
  readonly maxBackoff?: Duration.DurationInput | undefined
  readonly jitter?: boolean | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  readonly maxResponseBytes?: number | undefined
}

/**
 * Options of {@link make}: overrides for every client, plus overrides per client name
 * (`"EmbyConnect"`, `"MediaServer"`, …) applied on top.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Overrides {
  readonly clients?: Readonly<Record<string, Overrides>> | undefined
}

/**
 * The service: default settings and the settings of one named client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly defaults: Settings
  readonly forClient: (name: string) => Settings
}

/**
 * The built-in settings: 15 s per attempt (the reference clients use 8–20 s), 3 retries starting
 * at 250 ms and capped at 5 s, jitter on, `Retry-After` honoured up to 30 s, bodies up to 4 MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Settings = {
  timeout: Duration.seconds(15),
  retries: 3,
  backoff: Duration.millis(250),
  maxBackoff: Duration.seconds(5),
  jitter: true,
  maxRetryAfter: Duration.seconds(30),
  maxResponseBytes: 4 * 1024 * 1024
}

// Retries are bounded whatever the configuration says, so a typo cannot make a client hammer a
// server (reported in the wild: endless reconnect storms, plugin.video.emby #320).
const MAX_RETRIES = 10

const clampInt = (n: number, min: number, max: number): number =>
  Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : min

const nonNegative = (input: Duration.DurationInput): Duration.Duration => {
  const d = Duration.decodeUnknown(input)
  return d._tag === "Some" && Duration.greaterThanOrEqualTo(d.value, Duration.zero) ? d.value : Duration.zero
}

/**
 * Applies overrides to settings. Out-of-range values are clamped (retries to 0–10, sizes to at
 * least 1 KiB), never rejected: a policy is always usable.
 *
 * @since 0.1.0
 * @category constructors
 */
export const merge = (base: Settings, overrides: Overrides): Settings => ({
  timeout: overrides.timeout === undefined ? base.timeout : nonNegative(overrides.timeout),
  retries: overrides.retries === undefined ? base.retries : clampInt(overrides.retries, 0, MAX_RETRIES),
  backoff: overrides.backoff === undefined ? base.backoff : nonNegative(overrides.backoff),
  maxBackoff: overrides.maxBackoff === undefined ? base.maxBackoff : nonNegative(overrides.maxBackoff),
  jitter: overrides.jitter ?? base.jitter,
  maxRetryAfter: overrides.maxRetryAfter === undefined ? base.maxRetryAfter : nonNegative(overrides.maxRetryAfter),
  maxResponseBytes: overrides.maxResponseBytes === undefined
    ? base.maxResponseBytes
    : clampInt(overrides.maxResponseBytes, 1024, Number.MAX_SAFE_INTEGER)
})

/**
 * Builds the service from options.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Service => {
  const all = merge(defaults, options)
  const clients = options.clients ?? {}
  return {
    defaults: all,
    forClient: (name) => {
      const own = Object.hasOwn(clients, name) ? clients[name] : undefined
      return own === undefined ? all : merge(all, own)
    }
  }
}

/**
 * The policy service. A `Context.Reference`, so clients fall back to {@link defaults} when no
 * layer provides one.
 *
 * @since 0.1.0
 * @category tags
 */
export class ClientPolicy extends Context.Reference<ClientPolicy>()("@mbauth/core/ClientPolicy", {
  defaultValue: (): Service => make()
}) {}

/**
 * A layer with the given options.
 *
 * @example
 * ```ts
 * import * as ClientPolicy from "@mbauth/core/ClientPolicy"
 *
 * // 5 s per attempt everywhere; Emby Connect never retries.
 * const PolicyLive = ClientPolicy.layer({ timeout: "5 seconds", clients: { EmbyConnect: { retries: 0 } } })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<ClientPolicy> => Layer.succeed(ClientPolicy, make(options))

/**
 * The configuration keys read by {@link layerConfig}: `timeout`, `retries`, `backoff`,
 * `maxBackoff`, `jitter`, `maxRetryAfter`, `maxResponseBytes`, all optional. Nest it to add a
 * prefix, e.g. `Config.nested(ClientPolicy.config, "MBAUTH_HTTP")` reads `MBAUTH_HTTP_TIMEOUT`
 * from the environment.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Overrides> = Config.all({
  timeout: Config.option(Config.duration("timeout")),
  retries: Config.option(Config.integer("retries")),
  backoff: Config.option(Config.duration("backoff")),
  maxBackoff: Config.option(Config.duration("maxBackoff")),
  jitter: Config.option(Config.boolean("jitter")),
  maxRetryAfter: Config.option(Config.duration("maxRetryAfter")),
  maxResponseBytes: Config.option(Config.integer("maxResponseBytes"))
}).pipe(
  Config.map((o) => {
    const out: { -readonly [K in keyof Overrides]: Overrides[K] } = {}
    for (const [key, value] of Object.entries(o)) {
      if (value._tag === "Some") (out as Record<string, unknown>)[key] = value.value
    }
    return out
  })
)

/**
 * A layer reading the policy from configuration (see {@link config}), with per-client overrides
 * given in code.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: { readonly config?: Config.Config<Overrides>; readonly clients?: Readonly<Record<string, Overrides>> } = {}
): Layer.Layer<ClientPolicy, ConfigError.ConfigError> =>
  Layer.effect(
    ClientPolicy,
    Effect.map(options.config ?? config, (overrides) => make({ ...overrides, clients: options.clients }))
  )
