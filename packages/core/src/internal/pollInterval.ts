/**
 * The interval between two status polls of a sign-in that waits for a person (Emby Connect PIN,
 * Jellyfin Quick Connect), checked before the first request.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { InvalidPollInterval } from "../ClientError.js"
import * as TransportSafety from "../TransportSafety.js"

/** Polling a service on another machine more often than this would hammer it. */
export const MINIMUM_REMOTE = Duration.seconds(1)
/** Services on this machine (fakes, tests) may be polled as fast as wanted. */
export const MINIMUM_LOOPBACK = Duration.millis(1)
/** A person waits: never longer than this between two looks, whatever the expiry. */
export const MAXIMUM = Duration.minutes(1)

const shown = (input: Duration.DurationInput): string => {
  if (typeof input === "number") return `${input} millis`
  if (typeof input === "string") return input
  const decoded = Duration.decodeUnknown(input)
  return Option.match(decoded, { onNone: () => String(input), onSome: (d) => Duration.format(d) })
}

/**
 * The interval to poll `address` with: `input`, when it is finite, at least the minimum for the
 * address, and at most the shorter of {@link MAXIMUM} and `expireAfter`.
 */
export const check = (
  input: Duration.DurationInput,
  options: { readonly service: string; readonly address: string; readonly expireAfter: Duration.Duration }
): Either.Either<Duration.Duration, InvalidPollInterval> => {
  const loopback = Option.exists(TransportSafety.classifyUrl(options.address), (c) => c.scope === "loopback")
  const minimum = loopback ? MINIMUM_LOOPBACK : MINIMUM_REMOTE
  const maximum = Duration.min(MAXIMUM, options.expireAfter)
  const refused = () =>
    Either.left(
      new InvalidPollInterval({
        service: options.service,
        interval: shown(input),
        minimum: Duration.format(minimum),
        maximum: Duration.format(maximum)
      })
    )
  // Duration.decode turns NaN and negative numbers into zero, and throws on text it cannot read.
  if (typeof input === "number" && !(Number.isFinite(input) && input > 0)) return refused()
  const decoded = Duration.decodeUnknown(input)
  if (Option.isNone(decoded)) return refused()
  const interval = decoded.value
  if (!Duration.isFinite(interval) || Duration.lessThan(interval, minimum) || Duration.greaterThan(interval, maximum)) {
    return refused()
  }
  return Either.right(interval)
}
