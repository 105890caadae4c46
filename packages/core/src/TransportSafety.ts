/**
 * Transport safety: where a secret may travel in clear.
 *
 * - {@link classifyHost} / {@link classifyUrl} say what kind of address a host is: `loopback`,
 *   `private` (RFC 1918, shared 100.64/10, IPv6 ULA), `link-local`, `local-name` (`*.local` mDNS
 *   names and `*.home.arpa`), or `public`. IPv4 in any notation URLs accept (`0x7f.1`,
 *   `2130706433`), IPv6 (zone ids, IPv4-mapped) and host names are handled. Other host names are
 *   `public`: a name says nothing about where it resolves.
 * - {@link requireSecureForSecrets} refuses to send a password over plain HTTP to a public address
 *   with a typed {@link InsecureTransport} error that says why and how to opt in. HTTPS, loopback,
 *   private, link-local and local names pass. Given the addresses a server is known by (the one the
 *   user gave, the one that last worked), it also refuses plain HTTP anywhere once one of them is
 *   HTTPS: a secret never travels over a weaker scheme than the user chose ({@link requiresHttps}).
 * - {@link warnTokenInQuery} logs a warning (never the token) when a token is about to travel in a
 *   URL's query string, where it ends up in server logs, proxies and browser history.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * What kind of address a host is, from the most to the least contained.
 *
 * @since 0.1.0
 * @category models
 */
export const AddressScope = Schema.Literal("loopback", "private", "link-local", "local-name", "public")

/**
 * @since 0.1.0
 * @category models
 */
export type AddressScope = typeof AddressScope.Type

/**
 * A classified host.
 *
 * @since 0.1.0
 * @category models
 */
export interface Classification {
  /** The host as classified: lower case, IPv4 in dotted form, IPv6 without brackets or zone. */
  readonly host: string
  readonly kind: "ipv4" | "ipv6" | "hostname"
  readonly scope: AddressScope
  /** Whether traffic to it stays on this machine or the local network (every scope but `public`). */
  readonly local: boolean
  /** Why, in words, e.g. `"a private IPv4 address (RFC 1918)"`. */
  readonly description: string
}

/**
 * A secret was about to be sent over plain HTTP to a public address, where anyone on the way can
 * read it. The address shown is scheme, host and port only.
 *
 * @since 0.1.0
 * @category errors
 */
export class InsecureTransport extends Schema.TaggedError<InsecureTransport>(
  "@mbauth/core/TransportSafety/InsecureTransport"
)("InsecureTransport", {
  /** The refused destination: `http://host:port`. */
  address: Schema.String,
  /** What was not sent, e.g. `"password"`. */
  secret: Schema.String,
  /** What kind of address the host is. */
  scope: AddressScope,
  /** The classification in words, e.g. `"a public host name"`. */
  description: Schema.String,
  /**
   * Set when the refusal is a downgrade: the HTTPS address (scheme, host and port) the server was
   * given or last reached at.
   */
  secureAddress: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const optIn = `If the network is trusted (a VPN, a tunnel), opt in with allowInsecure: true (mbauth --allow-insecure).`
    if (this.secureAddress !== undefined) {
      return `Refusing to send the ${this.secret} over plain HTTP to ${this.address}: the server is known at ` +
        `${this.secureAddress}, and a secret never goes over a weaker scheme than the one chosen for it. ` +
        `Make sure the https:// address answers (its certificate must be trusted). ${optIn}`
    }
    return `Refusing to send the ${this.secret} over plain HTTP to ${this.address} (${this.description}): ` +
      `anyone between here and there could read it. Use the server's https:// address. ${optIn}`
  }
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

const classification = (
  host: string,
  kind: Classification["kind"],
  scope: AddressScope,
  description: string
): Classification => ({ host, kind, scope, local: scope !== "public", description })

const classifyIpv4 = (host: string, [a, b]: ReadonlyArray<number>): Classification => {
  const ipv4 = (scope: AddressScope, description: string) => classification(host, "ipv4", scope, description)
  if (a === 127) return ipv4("loopback", "a loopback IPv4 address")
  // 0.0.0.0/8 is "this host": connecting to it reaches the local machine.
  if (a === 0) return ipv4("loopback", "an unspecified IPv4 address (this host)")
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) {
    return ipv4("private", "a private IPv4 address (RFC 1918)")
  }
  // Carrier-grade NAT and overlay networks such as Tailscale: not reachable from the internet.
  if (a === 100 && b! >= 64 && b! <= 127) return ipv4("private", "a shared IPv4 address (RFC 6598)")
  if (a === 169 && b === 254) return ipv4("link-local", "a link-local IPv4 address")
  return ipv4("public", "a public IPv4 address")
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

const parseIpv4 = (host: string): ReadonlyArray<number> | undefined => {
  const m = IPV4.exec(host)
  if (m === null) return undefined
  const octets = m.slice(1).map(Number)
  return octets.every((o) => o <= 255) ? octets : undefined
}

/** The eight 16-bit groups of an IPv6 address (as URLs serialise it: no zone, no brackets). */
const parseIpv6 = (host: string): ReadonlyArray<number> | undefined => {
  const halves = host.split("::")
  if (halves.length > 2) return undefined
  const groups = (part: string): Array<number> | undefined => {
    if (part === "") return []
    const out: Array<number> = []
    const pieces = part.split(":")
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!
      const v4 = i === pieces.length - 1 ? parseIpv4(piece) : undefined
      if (v4 !== undefined) out.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!)
      else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(parseInt(piece, 16))
      else return undefined
    }
    return out
  }
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  if (head === undefined || tail === undefined) return undefined
  if (halves.length === 1) return head.length === 8 ? head : undefined
  const missing = 8 - head.length - tail.length
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : undefined
}

const classifyIpv6 = (host: string, g: ReadonlyArray<number>): Classification => {
  const ipv6 = (scope: AddressScope, description: string) => classification(host, "ipv6", scope, description)
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (zeroUpTo(7) && g[7] === 1) return ipv6("loopback", "the IPv6 loopback address")
  if (zeroUpTo(8)) return ipv6("loopback", "the unspecified IPv6 address (this host)")
  // ::ffff:a.b.c.d is an IPv4 address in IPv6 clothing: judge the IPv4 address.
  if (zeroUpTo(5) && g[5] === 0xffff) {
    const v4 = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]
    const inner = classifyIpv4(v4.join("."), v4)
    return ipv6(inner.scope, `${inner.description}, IPv4-mapped`)
  }
  if ((g[0]! & 0xffc0) === 0xfe80) return ipv6("link-local", "a link-local IPv6 address")
  if ((g[0]! & 0xfe00) === 0xfc00) return ipv6("private", "a unique local IPv6 address (ULA)")
  // Deprecated site-local addresses: still never routed on the internet.
  if ((g[0]! & 0xffc0) === 0xfec0) return ipv6("private", "a site-local IPv6 address")
  return ipv6("public", "a public IPv6 address")
}

// Node and browsers normalise hosts when parsing a URL: IPv4 in hex, octal or as one number, IDNs,
// case. Classifying the normalised form means no notation slips past.
const normalise = (host: string): string | undefined => {
  let h = host.trim()
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1)
  // An IPv6 zone (`fe80::1%eth0`) names an interface, not a different address.
  if (h.includes(":")) h = `[${h.replace(/%.*$/, "")}]`
  try {
    return new URL(`http://${h}/`).hostname
  } catch {
    return undefined
  }
}

/**
 * Classifies a host: an IPv4 or IPv6 address (with or without brackets) or a host name.
 * `localhost` and `*.localhost` are loopback; `*.local` (mDNS) and `*.home.arpa` (RFC 8375) are
 * local names; every other name is `public`, as is anything that is not a valid host.
 *
 * @example
 * ```ts
 * import * as TransportSafety from "@mbauth/core/TransportSafety"
 *
 * TransportSafety.classifyHost("192.168.1.10").scope // "private"
 * TransportSafety.classifyHost("[fe80::1%eth0]").scope // "link-local"
 * TransportSafety.classifyHost("jellyfin.local").scope // "local-name"
 * TransportSafety.classifyHost("media.example.com").scope // "public"
 * ```
 *
 * @since 0.1.0
 * @category classification
 */
export const classifyHost = (host: string): Classification => {
  const normalised = normalise(host)
  if (normalised === undefined || normalised === "") {
    return classification(host, "hostname", "public", "not a valid host")
  }
  if (normalised.startsWith("[")) {
    const bare = normalised.slice(1, -1)
    const groups = parseIpv6(bare)
    return groups === undefined
      ? classification(bare, "ipv6", "public", "an IPv6 address")
      : classifyIpv6(bare, groups)
  }
  const octets = parseIpv4(normalised)
  if (octets !== undefined) return classifyIpv4(normalised, octets)
  const name = normalised.endsWith(".") ? normalised.slice(0, -1) : normalised
  if (name === "localhost" || name.endsWith(".localhost")) {
    return classification(name, "hostname", "loopback", "a localhost name")
  }
  if (name.endsWith(".local")) return classification(name, "hostname", "local-name", "a local (mDNS) host name")
  if (name === "home.arpa" || name.endsWith(".home.arpa")) {
    return classification(name, "hostname", "local-name", "a home network name (home.arpa)")
  }
  return classification(name, "hostname", "public", "a host name, which may resolve to any address")
}

/**
 * Classifies the host of a URL; `None` when the text is not an absolute URL.
 *
 * @since 0.1.0
 * @category classification
 */
export const classifyUrl = (url: string | URL): Option.Option<Classification> => {
  const text = url.toString()
  if (!URL.canParse(text)) return Option.none()
  const host = new URL(text).hostname
  return host === "" ? Option.none() : Option.some(classifyHost(host))
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/**
 * Options of {@link requireSecureForSecrets}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SecretTransportOptions {
  /** Send over plain HTTP to a public address anyway (logged as a warning). Default false. */
  readonly allowInsecure?: boolean | undefined
  /** What is being sent, for the message. Default `"password"`. */
  readonly secret?: string | undefined
  /**
   * The addresses the server is known by: the one the user gave and the one that last worked.
   * When one of them is HTTPS, plain HTTP is refused whatever the host (see {@link requiresHttps}).
   */
  readonly knownAddresses?: ReadonlyArray<string | URL | undefined> | undefined
}

const SECURE_PROTOCOLS: ReadonlySet<string> = new Set(["https:", "wss:"])

/** Scheme, host and port: nothing that could hold a secret (user info, path, query). */
const origin = (url: string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return "an invalid URL"
  }
}

const isSecure = (url: string | URL | undefined): boolean =>
  url !== undefined && URL.canParse(url.toString()) && SECURE_PROTOCOLS.has(new URL(url.toString()).protocol)

/**
 * Whether a server known by these addresses (the one the user gave, the one that last worked)
 * takes secrets over HTTPS only: true when any of them is HTTPS. A race between a server's
 * addresses, and every request carrying a password, AccessKey or token, then leaves its plain-HTTP
 * addresses out, wherever they point.
 *
 * @since 0.1.0
 * @category rules
 */
export const requiresHttps = (knownAddresses: ReadonlyArray<string | URL | undefined>): boolean =>
  knownAddresses.some(isSecure)

/**
 * Succeeds when a secret may be sent to `url`: over HTTPS (or WSS), or to a loopback, private,
 * link-local or local-name host. A plain-HTTP public destination fails with
 * {@link InsecureTransport}, unless `allowInsecure` is set, which logs a warning instead. With
 * `knownAddresses` of which one is HTTPS, any plain-HTTP destination is refused the same way (a
 * downgrade).
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as TransportSafety from "@mbauth/core/TransportSafety"
 *
 * // Fails with InsecureTransport: a password to a public host over http.
 * const refused = TransportSafety.requireSecureForSecrets("http://media.example.com:8096/")
 * // Succeeds: a LAN address.
 * const lan = TransportSafety.requireSecureForSecrets("http://192.168.1.10:8096/")
 * const all = Effect.all([Effect.either(refused), lan])
 * ```
 *
 * @since 0.1.0
 * @category rules
 */
export const requireSecureForSecrets = (
  url: string | URL,
  options: SecretTransportOptions = {}
): Effect.Effect<void, InsecureTransport> =>
  Effect.suspend(() => {
    const text = url.toString()
    if (isSecure(text)) return Effect.void
    const host = Option.getOrElse(
      classifyUrl(text),
      () => classification("", "hostname", "public", "not a valid URL")
    )
    const secured = (options.knownAddresses ?? []).find(isSecure)
    if (host.local && secured === undefined) return Effect.void
    const secret = options.secret ?? "password"
    const address = origin(text)
    if (options.allowInsecure === true) {
      return Effect.logWarning(
        `Sending the ${secret} over plain HTTP to ${address} (${host.description}) because insecure transport is allowed`
      ).pipe(Effect.annotateLogs({ "mbauth.address": address, "mbauth.scope": host.scope }))
    }
    return Effect.fail(
      new InsecureTransport({
        address,
        secret,
        scope: host.scope,
        description: host.description,
        ...(secured === undefined ? {} : { secureAddress: origin(secured.toString()) })
      })
    )
  })

/**
 * Options of {@link warnTokenInQuery}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenInQueryOptions {
  /** The query parameter carrying the token, e.g. `"ApiKey"`. */
  readonly parameter: string
  /** Where the requests go (shown as scheme, host and port only). */
  readonly url?: string | URL | undefined
}

/**
 * Logs a warning that a token will travel in a URL's query string (the parameter name and the
 * destination's origin only: never the token, never the path or query).
 *
 * @since 0.1.0
 * @category rules
 */
export const warnTokenInQuery = (options: TokenInQueryOptions): Effect.Effect<void> => {
  const to = options.url === undefined ? "" : ` to ${origin(options.url.toString())}`
  return Effect.logWarning(
    `The token travels in the ${options.parameter} query parameter${to}: URLs end up in server and proxy ` +
      `logs and in browser history. Send it in the Authorization header where the client can.`
  ).pipe(Effect.annotateLogs({ "mbauth.parameter": options.parameter }))
}
