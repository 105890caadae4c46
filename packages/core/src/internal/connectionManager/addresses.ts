/**
 * Server addresses: normalising what a user typed or a server reported, the candidate list for a
 * typed address (the scheme and port variants `@jellyfin/sdk` tries), and the candidates of a
 * saved server (local, manual, remote).
 *
 * @internal
 */
import * as Either from "effect/Either"
import type { ConnectionMode, Server } from "../credentialStore/schema.js"

/** One address to probe and which saved address it is. */
export interface Candidate {
  readonly address: string
  readonly mode: typeof ConnectionMode.Type
}

/** Jellyfin's (and Emby's) default HTTP port. */
export const HTTP_PORT = 8096
/** Jellyfin's (and Emby's) default HTTPS port. */
export const HTTPS_PORT = 8920

const SCHEME = /^([a-z][a-z\d+\-.]*):\/\//i

// What people paste from the browser: the web client's pages, and API bases with the `/emby` or
// `/mediabrowser` prefix, which the clients add themselves (docs/server-facts.md, "API prefix").
const WEB_CLIENT_PATH = /\/web(\/.*)?$/i
const API_PREFIX = /\/(emby|mediabrowser)$/i

/**
 * Removes user info from text that failed to parse, so an error can show it (a password may hide
 * in `http://user:password@host`).
 */
export const safeInput = (input: string): string => {
  const text = input.trim().replace(/\/\/[^/@\s]*@/, "//").replace(/[?#].*$/s, "")
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/**
 * Normalises an address: trims it, adds `http://` when there is no scheme (`https://` when it
 * names port 443 or 8920, as the current Emby web client does), lower-cases scheme and host, drops
 * user info, query, fragment, a trailing slash, a web-client page (`/web/…`) and a trailing `/emby`
 * or `/mediabrowser`. Keeps a path prefix (a server behind a reverse proxy at `/jellyfin`).
 * Fails with the reason when the text is not an http(s) address.
 */
export const normalize = (input: string): Either.Either<string, string> => {
  const trimmed = input.trim()
  if (trimmed === "") return Either.left("the address is empty")
  const scheme = SCHEME.exec(trimmed)
  let text = trimmed
  if (scheme === null) {
    // `mailto:x`, `javascript:x`: a scheme without `//`. `host:8096` is a host and a port.
    if (/^[a-z][a-z\d+\-.]*:(?!\d)/i.test(trimmed)) {
      return Either.left("only http and https addresses are supported")
    }
    const secure = /:(443|8920)(\/|$)/.test(trimmed)
    text = `${secure ? "https" : "http"}://${trimmed.replace(/^\/\//, "")}`
  } else if (!/^https?$/i.test(scheme[1]!)) {
    return Either.left(`the scheme ${scheme[1]!.toLowerCase()}: is not supported (use http or https)`)
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    const authority = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(text)
    const [host, port] = [authority?.[1] ?? "", authority?.[2]]
    if (port !== undefined && !/^\d*$/.test(port)) return Either.left(`the port ${JSON.stringify(port)} is not a number`)
    if (port !== undefined && Number(port) > 65535) return Either.left(`the port ${port} is out of range (1-65535)`)
    if (/^[\d.]+$/.test(host)) return Either.left(`${host} is not a valid IPv4 address (four numbers from 0 to 255)`)
    return Either.left("not a valid address")
  }
  if (url.hostname === "") return Either.left("the address has no host")
  url.username = ""
  url.password = ""
  url.search = ""
  url.hash = ""
  let path = url.pathname.replace(/\/{2,}/g, "/").replace(WEB_CLIENT_PATH, "").replace(/\/+$/, "")
  path = path.replace(API_PREFIX, "")
  url.pathname = path === "" ? "/" : path
  return Either.right(url.toString().replace(/\/$/, ""))
}

const isDefaultPort = (url: URL): boolean => url.port === ""

// Ranking of the SDK (jellyfin-sdk-typescript src/utils/address-candidates.ts): secure first,
// then the protocol's default port, then 8096; 8920 is an unusual choice.
const rank = (url: URL): number => {
  let score = url.protocol === "https:" ? 5 : -5
  if (url.port === String(HTTP_PORT)) score += 2
  else if (url.port === String(HTTPS_PORT)) score -= 1
  if (isDefaultPort(url)) score += 3
  return score
}

const withPort = (url: URL, protocol: string, port: number | undefined): URL => {
  const copy = new URL(url.toString())
  copy.protocol = protocol
  copy.port = port === undefined ? "" : String(port)
  return copy
}

/**
 * The addresses worth trying for what a user typed, best first, the way `@jellyfin/sdk`'s
 * `getAddressCandidates` builds them:
 * - scheme and port both given (`http://host:8096`, `https://host:443`): that address only;
 * - otherwise the address itself, its `https` variant when it is `http` (or has no scheme), and
 *   for an address on the protocol's default port the Jellyfin ports: `http` → `:8096`,
 *   `https` → `:8096` and `:8920`;
 * - ranked `https` first, then the default port, then 8096.
 * Unlike the SDK, a bare host also gets its `http://host:8096` variant checked before
 * `http://host`, and `/web/…`, `/emby`, query and fragment are removed (see {@link normalize}).
 */
export const typedCandidates = (input: string): Either.Either<ReadonlyArray<string>, string> => {
  const trimmed = input.trim()
  const explicitScheme = SCHEME.test(trimmed)
  // Without a scheme the SDK starts from http (and adds https below), whatever the port says.
  const start = explicitScheme || trimmed === "" || /^[a-z][a-z\d+\-.]*:(?!\d)/i.test(trimmed)
    ? trimmed
    : `http://${trimmed.replace(/^\/\//, "")}`
  return Either.map(normalize(start), (normalized) => {
    const url = new URL(normalized)
    const explicitPort = url.port !== "" ||
      new RegExp(`^${url.protocol}//[^/]*:${url.protocol === "https:" ? 443 : 80}(/|$)`, "i").test(
        trimmed.replace(/\/\/[^/@]*@/, "//")
      )
    if (explicitScheme && explicitPort) return [normalized]
    const urls: Array<URL> = [url]
    if (url.protocol === "http:") urls.push(withPort(url, "https:", url.port === "" ? undefined : Number(url.port)))
    for (const candidate of urls.slice()) {
      if (!isDefaultPort(candidate)) continue
      if (candidate.protocol === "http:") urls.push(withPort(candidate, "http:", HTTP_PORT))
      else {
        urls.push(withPort(candidate, "https:", HTTP_PORT))
        urls.push(withPort(candidate, "https:", HTTPS_PORT))
      }
    }
    // A stable sort keeps the SDK's insertion order between equal ranks.
    const sorted = urls.map((u, i) => ({ u, i, r: rank(u) })).sort((a, b) => b.r - a.r || a.i - b.i)
    return dedupe(sorted.map(({ u }) => u.toString().replace(/\/$/, "")))
  })
}

const dedupe = (addresses: ReadonlyArray<string>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  return addresses.filter((a) => {
    const key = a.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

const isLoopback = (address: string): boolean => {
  try {
    const host = new URL(address).hostname
    return host === "localhost" || host === "[::1]" || /^127\./.test(host)
  } catch {
    return false
  }
}

/** Options of {@link savedCandidates}. */
export interface SavedOptions {
  /** Only the manual address (EJS `manualAddressOnly`). */
  readonly manualOnly?: boolean | undefined
  /** Skip `http:` addresses (EJS `rejectInsecureAddresses`). */
  readonly secureOnly?: boolean | undefined
}

/**
 * The addresses a saved server is known by, for `TransportSafety.requiresHttps`: the one the user
 * gave (manual) and the one that worked last time.
 */
export const knownAddresses = (server: Server): ReadonlyArray<string | undefined> => {
  const { local, manual, remote } = server.addresses
  const last = server.lastConnectionMode === "Local" ? local : server.lastConnectionMode === "Remote" ? remote : manual
  return [manual, last]
}

/**
 * The saved addresses of a server in the order they are tried, normalised and de-duplicated
 * (case-insensitively): the address that worked last time first, then local, manual, remote (the
 * EJS/MOD race order; a manual `localhost` address goes first, as in MOD). Addresses that do not
 * normalise are skipped.
 */
export const savedCandidates = (server: Server, options: SavedOptions = {}): ReadonlyArray<Candidate> => {
  const { local, manual, remote } = server.addresses
  const all: Array<Candidate> = []
  const push = (mode: Candidate["mode"], address: string | undefined) => {
    if (address === undefined) return
    const normalized = normalize(address)
    if (Either.isRight(normalized)) all.push({ mode, address: normalized.right })
  }
  if (manual !== undefined && isLoopback(manual)) push("Manual", manual)
  push("Local", local)
  push("Manual", manual)
  push("Remote", remote)
  const last = server.lastConnectionMode
  const ordered = last === undefined
    ? all
    : [...all.filter((c) => c.mode === last), ...all.filter((c) => c.mode !== last)]
  const seen = new Set<string>()
  return ordered.filter((c) => {
    if (options.manualOnly === true && c.mode !== "Manual") return false
    if (options.secureOnly === true && !c.address.toLowerCase().startsWith("https:")) return false
    const key = c.address.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The local address of a server that answered LAN discovery (docs/server-facts.md, "LAN discovery",
 * `convertEndpointAddressToManualAddress`): the host is the datagram's source address (reachable
 * from here for sure) and the port is the one of the address the server reported. Unlike the
 * reference clients, the reported scheme is kept (they re-normalise to `http://`, which breaks an
 * `https` server). Without a source, the reported address.
 */
export const localAddressFromDiscovery = (
  reported: string | undefined,
  endpoint: string | undefined
): Either.Either<string, string> => {
  const host = endpoint === undefined ? undefined : endpointHost(endpoint)
  const parsed = reported === undefined ? Either.left("the reply has no address") : normalize(reported)
  if (host === undefined) return parsed
  if (Either.isLeft(parsed)) return normalize(`http://${host}:${HTTP_PORT}`)
  const url = new URL(parsed.right)
  const path = url.pathname === "/" ? "" : url.pathname
  return normalize(`${url.protocol}//${host}${url.port === "" ? "" : `:${url.port}`}${path}`)
}

// A source address as Node reports it (`192.168.1.5`, `::ffff:192.168.1.5`, `fe80::1`), or an
// `EndpointAddress` as the C# client builds it (`192.168.1.5:7359`).
const endpointHost = (endpoint: string): string | undefined => {
  const text = endpoint.trim()
  if (text === "") return undefined
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)
  if (mapped !== null) return mapped[1]
  if (/^\d+\.\d+\.\d+\.\d+(:\d+)?$/.test(text)) return text.replace(/:\d+$/, "")
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(text)
  if (bracketed !== null) return `[${bracketed[1]}]`
  if (text.includes(":")) return `[${text.replace(/%.*$/, "")}]`
  return text.replace(/:\d+$/, "")
}
