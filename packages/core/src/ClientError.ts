/**
 * The typed errors every mbauth HTTP client (Emby Connect, Jellyfin and Emby servers) fails with.
 *
 * Each error says what went wrong, where, and what the user can do about it. None of them ever
 * carries a secret: addresses lose their query string and user info, response excerpts have
 * token-, key- and password-like fields and every secret sent with the request replaced by
 * `<redacted>`, and transport causes are reduced to a description string.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { InsecureTransport } from "./TransportSafety.js"

const formatDuration = (duration: Duration.Duration): string =>
  Duration.format(Duration.millis(Math.round(Duration.toMillis(duration))))

/**
 * The service refused the name (or e-mail) and password. Emby Connect answers 401, and sometimes
 * 404, for bad credentials; every 4xx from a sign-in is reported as this error.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>(
  "@mbauth/core/ClientError/InvalidCredentials"
)("InvalidCredentials", {
  /** Which service refused, e.g. `Emby Connect`. */
  service: Schema.String,
  /** The endpoint, without query string. */
  address: Schema.String,
  /** The HTTP status the service answered with. */
  status: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.service} did not accept the name or password (HTTP ${this.status} from ${this.address}). ` +
      `Check them and try again.`
  }
}

/**
 * A token was rejected: it was revoked (signed out elsewhere, a second sign-in on the same device)
 * or is unknown to the service. `recovery` says how to get a working one.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("@mbauth/core/ClientError/Unauthorized")(
  "Unauthorized",
  {
    service: Schema.String,
    address: Schema.String,
    /** 401 or 403. */
    status: Schema.Number,
    /** What to do next, e.g. "Sign in to Emby Connect again to get a new token." */
    recovery: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.service} rejected the token (HTTP ${this.status} from ${this.address}): ` +
      `it was revoked or is unknown. ${this.recovery}`
  }
}

/**
 * A sign-in PIN expired before the user confirmed it. `reason` tells whether the service said so
 * (`IsExpired`) or the client's own deadline ran out first.
 *
 * @since 0.1.0
 * @category errors
 */
export class PinExpired extends Schema.TaggedError<PinExpired>("@mbauth/core/ClientError/PinExpired")("PinExpired", {
  /** The expired PIN (a PIN is shown to the user and useless once expired; it is not a secret). */
  pin: Schema.String,
  reason: Schema.Literal("ExpiredAtService", "DeadlineReached")
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const why = this.reason === "ExpiredAtService" ? "expired" : "was not confirmed in time"
    return `PIN ${this.pin} ${why}. Start the PIN sign-in again to get a new PIN.`
  }
}

/**
 * Why a service could not be reached:
 * - `ConnectionRefused`: nothing listens at that host and port;
 * - `HostNotFound`: the host name does not resolve;
 * - `TlsFailure`: the TLS handshake failed (an untrusted or expired certificate, a name mismatch, or
 *   an address that does not speak https);
 * - `ConnectionReset`: the connection was closed before a complete answer;
 * - `NotSent`: the request could not be built (an invalid address or header value);
 * - `Other`: anything else.
 *
 * @since 0.1.0
 * @category models
 */
export const UnreachableReason = Schema.Literal(
  "ConnectionRefused",
  "HostNotFound",
  "TlsFailure",
  "ConnectionReset",
  "NotSent",
  "Other"
)

/**
 * @since 0.1.0
 * @category models
 */
export type UnreachableReason = typeof UnreachableReason.Type

const UNREACHABLE_ADVICE: Record<UnreachableReason, string> = {
  ConnectionRefused: "Nothing is listening there (connection refused): check the port, and that the service is running.",
  HostNotFound: "The host name does not resolve: check its spelling, and the DNS of this machine.",
  TlsFailure: "The secure connection failed: the certificate is not trusted (self-signed, expired, another " +
    "name), or the address does not speak https. Trust the certificate (NODE_EXTRA_CA_CERTS) or use the right address.",
  ConnectionReset: "The connection was closed before a complete answer: the service may be restarting, or " +
    "something between here and there cut it.",
  NotSent: "Nothing was sent.",
  Other: "Check the address and that the service is running and reachable from here."
}

/**
 * No HTTP answer could be obtained: connection refused or reset, DNS failure, TLS failure, an
 * invalid address, or the connection broke while the answer was being read.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerUnreachable extends Schema.TaggedError<ServerUnreachable>(
  "@mbauth/core/ClientError/ServerUnreachable"
)("ServerUnreachable", {
  service: Schema.String,
  address: Schema.String,
  /** A description of the underlying failure, e.g. `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8096`. */
  cause: Schema.String,
  /** What kind of failure it was, when known (see {@link UnreachableReason}). */
  reason: Schema.optional(UnreachableReason)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const advice = UNREACHABLE_ADVICE[this.reason ?? "Other"]
    return `Could not reach ${this.service} at ${this.address}: ${this.cause}. ${advice}`
  }
}

/**
 * The service answered, but not as expected: an error status with no more specific meaning, a
 * body that is not JSON, or JSON that does not have the expected shape.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>(
  "@mbauth/core/ClientError/UnexpectedResponse"
)("UnexpectedResponse", {
  service: Schema.String,
  address: Schema.String,
  status: Schema.Number,
  /** What was wrong, e.g. `HTTP 500`, `not JSON: Unexpected end of JSON input`, `User.Id: is missing`. */
  issue: Schema.String,
  /** The start of the body with secrets redacted (may be empty). */
  excerpt: Schema.String,
  /**
   * `HtmlPage`: a web page answered instead of the API (a reverse proxy, a captive portal, a router);
   * `Redirect`: the service redirected elsewhere (never followed: it would re-send credentials);
   * absent for the other cases, which `issue` describes.
   */
  reason: Schema.optional(Schema.Literal("HtmlPage", "Redirect"))
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const body = this.excerpt === "" ? "" : ` Body: ${this.excerpt}`
    return `Unexpected answer from ${this.service} (HTTP ${this.status} from ${this.address}): ${this.issue}.${body}`
  }
}

/**
 * The service is rate limiting (HTTP 429) and retries were exhausted, not allowed for this call, or
 * would have to wait longer than the client policy permits.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@mbauth/core/ClientError/RateLimited")(
  "RateLimited",
  {
    service: Schema.String,
    address: Schema.String,
    /** The service's `Retry-After`, when it sent a usable one. */
    retryAfter: Schema.optional(Schema.DurationFromMillis)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const wait = this.retryAfter === undefined ? "a while" : formatDuration(this.retryAfter)
    return `${this.service} is limiting requests (HTTP 429 from ${this.address}). Try again in ${wait}.`
  }
}

/**
 * No complete answer arrived within the per-request timeout of the client policy.
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Schema.TaggedError<Timeout>("@mbauth/core/ClientError/Timeout")("Timeout", {
  service: Schema.String,
  address: Schema.String,
  timeout: Schema.DurationFromMillis
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `No answer from ${this.service} at ${this.address} within ${formatDuration(this.timeout)}. ` +
      `The service may be overloaded or the network slow; try again or raise the timeout.`
  }
}

/**
 * A poll interval (PIN sign-in, Quick Connect) was refused before anything was sent: not a
 * positive finite duration, too short for a service that is not on this machine (it would hammer
 * it), or too long to poll before the code expires.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidPollInterval extends Schema.TaggedError<InvalidPollInterval>(
  "@mbauth/core/ClientError/InvalidPollInterval"
)("InvalidPollInterval", {
  service: Schema.String,
  /** The interval as given, e.g. `"0 millis"`, `"NaN seconds"`. */
  interval: Schema.String,
  /** The accepted range, inclusive, e.g. `"1s"` and `"1m"`. */
  minimum: Schema.String,
  maximum: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `The poll interval ${this.interval} for ${this.service} is not usable: it must be between ` +
      `${this.minimum} and ${this.maximum} (shorter would hammer the service, longer would outlast the code).`
  }
}

/**
 * A password was not sent because the address is plain HTTP to a public host (see
 * `TransportSafety.requireSecureForSecrets`); nothing went over the network.
 *
 * @since 0.1.0
 * @category errors
 */
export { InsecureTransport }

/**
 * Any client error.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientError =
  | InvalidCredentials
  | Unauthorized
  | PinExpired
  | ServerUnreachable
  | UnexpectedResponse
  | RateLimited
  | Timeout
  | InsecureTransport
  | InvalidPollInterval

/**
 * Schema of every client error (for serialising errors, e.g. the CLI's `--json` output).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClientError: Schema.Union<[
  typeof InvalidCredentials,
  typeof Unauthorized,
  typeof PinExpired,
  typeof ServerUnreachable,
  typeof UnexpectedResponse,
  typeof RateLimited,
  typeof Timeout,
  typeof InsecureTransport,
  typeof InvalidPollInterval
]> = Schema.Union(
  InvalidCredentials,
  Unauthorized,
  PinExpired,
  ServerUnreachable,
  UnexpectedResponse,
  RateLimited,
  Timeout,
  InsecureTransport,
  InvalidPollInterval
)

const tags: ReadonlySet<string> = new Set([
  "InvalidCredentials",
  "Unauthorized",
  "PinExpired",
  "ServerUnreachable",
  "UnexpectedResponse",
  "RateLimited",
  "Timeout",
  "InsecureTransport",
  "InvalidPollInterval"
])

/**
 * Whether a value is one of the client errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isClientError = (u: unknown): u is ClientError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) &&
  Schema.is(ClientError)(u)
