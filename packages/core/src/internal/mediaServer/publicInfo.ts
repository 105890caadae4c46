/**
 * `/System/Info/Public`: the wire shape, the mapping to `PublicInfo`, product detection and the
 * choice of profile by version.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { ProfileName } from "../../Credentials.js"
// A type-only import of the public model: no runtime cycle.
import type { PublicInfo } from "../../MediaServer.js"

/** What the public-info endpoint answers (Jellyfin `PublicSystemInfo`, Emby `PublicSystemInfo`). */
/**
 * A ServerId as the servers make it: Jellyfin's (and Emby's) `SystemId` is the content of
 * `data/device.txt` when .NET's `Guid.TryParse` accepts it, else a new `Guid.ToString("N")` (32
 * hexadecimal digits), so any of the GUID spellings N, D (dashes), B (braces) and P (parentheses).
 * Anything else (`../../etc`, control characters, a name) is not a server's id.
 */
export const ServerId = Schema.String.pipe(
  Schema.pattern(
    /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\))$/i,
    { message: () => "is not a ServerId (a GUID such as 32 hexadecimal digits, as the servers make them)" }
  )
)

export const WirePublicInfo = Schema.Struct({
  Id: ServerId,
  ServerName: Schema.optional(Schema.NullOr(Schema.String)),
  Version: Schema.NonEmptyString,
  ProductName: Schema.optional(Schema.NullOr(Schema.String)),
  LocalAddress: Schema.optional(Schema.NullOr(Schema.String)),
  LocalAddresses: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  WanAddress: Schema.optional(Schema.NullOr(Schema.String)),
  RemoteAddresses: Schema.optional(Schema.NullOr(Schema.Array(Schema.String)))
})

const text = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === "" ? undefined : value.trim()

/** `[major, minor]` from `10.11.2`, `4.8.10.0`, `12.0.0-rc5`; undefined when not a version. */
export const parseVersion = (version: string): readonly [number, number] | undefined => {
  const match = /^\s*v?(\d{1,6})(?:\.(\d{1,6}))?/.exec(version)
  if (match === null) return undefined
  return [Number(match[1]), match[2] === undefined ? 0 : Number(match[2])]
}

/**
 * Product detection: `ProductName` containing "Emby" or "Jellyfin" decides; old servers send no
 * `ProductName`, and then the version does (Jellyfin forked at 10.x, Emby is at 4.x).
 */
export const detectProduct = (productName: string | undefined, version: string): "Jellyfin" | "Emby" => {
  const name = productName?.toLowerCase() ?? ""
  if (name.includes("emby")) return "Emby"
  if (name.includes("jellyfin")) return "Jellyfin"
  const parsed = parseVersion(version)
  return parsed !== undefined && parsed[0] >= 10 ? "Jellyfin" : "Emby"
}

export const toPublicInfo = (wire: typeof WirePublicInfo.Type): PublicInfo => {
  const productName = text(wire.ProductName)
  const localAddress = text(wire.LocalAddress) ?? wire.LocalAddresses?.map(text).find((a) => a !== undefined)
  const remote: Array<string> = []
  for (const candidate of [wire.WanAddress, ...(wire.RemoteAddresses ?? [])]) {
    const address = text(candidate)
    if (address !== undefined && !remote.includes(address)) remote.push(address)
  }
  return {
    id: wire.Id,
    // Some servers have no name configured; the Id is what the reference clients fall back to.
    serverName: text(wire.ServerName) ?? wire.Id,
    version: wire.Version,
    productName,
    localAddress,
    remoteAddresses: remote,
    product: detectProduct(productName, wire.Version)
  }
}

/** Why no profile fits. */
export interface TooOld {
  readonly product: "Jellyfin" | "Emby"
  readonly version: string
  readonly minimumVersion: string
  readonly reason: "TooOld" | "UnknownVersion"
}

/** Oldest supported versions. */
export const MINIMUM = { Jellyfin: "10.10", Emby: "4.7" } as const

/** The profile for a product and version. */
export const profileFor = (product: "Jellyfin" | "Emby", version: string): Either.Either<ProfileName, TooOld> => {
  const parsed = parseVersion(version)
  const tooOld = (reason: TooOld["reason"]) =>
    Either.left<TooOld>({ product, version, minimumVersion: MINIMUM[product], reason })
  if (parsed === undefined) return tooOld("UnknownVersion")
  const [major, minor] = parsed
  if (product === "Emby") return major > 4 || (major === 4 && minor >= 7) ? Either.right("emby") : tooOld("TooOld")
  if (major >= 12) return Either.right("jellyfin-12")
  // 10.12 … 11.x were never released; anything after 10.11 and before 12 reads requests as 10.11 does.
  if (major === 11 || (major === 10 && minor >= 11)) return Either.right("jellyfin-10.11")
  if (major === 10 && minor === 10) return Either.right("jellyfin-10.10")
  return tooOld("TooOld")
}
