/**
 * The inputs every header row uses, built the way real clients build them.
 *
 * @since 0.1.0
 */
import { sdkAuthorizationHeader, type SdkClientInfo, type SdkDeviceInfo } from "./Peers.js"

// jellyfin-web's DeviceId: base64 of "<user agent>|<ms timestamp>" with "=" replaced by "1".
const userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

/**
 * The client and device jellyfin-web reports. "Jellyfin Web" holds the space that becomes `%20`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const client: SdkClientInfo = { name: "Jellyfin Web", version: "10.10.7" }

/**
 * @since 0.1.0
 * @category inputs
 */
export const device: SdkDeviceInfo = {
  name: "Firefox",
  id: Buffer.from(`${userAgent}|1724145654000`).toString("base64").replace(/=/g, "1")
}

/**
 * A 32-hex-digit access token, as Jellyfin issues them.
 *
 * @since 0.1.0
 * @category inputs
 */
export const token = "4f1c6b0c1e9d4a7f8b2c3d4e5f60718a"

/**
 * The typical header: exactly what `@jellyfin/sdk` sends for jellyfin-web (five quoted
 * parameters, 240 bytes, one `%20`).
 *
 * @since 0.1.0
 * @category inputs
 */
export const typicalHeader: string = sdkAuthorizationHeader(client, device, token)

/**
 * The same parameters as mbauth's formatter takes them.
 *
 * @since 0.1.0
 * @category inputs
 */
export const typicalParams = {
  Token: token,
  Client: client.name,
  Version: client.version,
  DeviceId: device.id,
  Device: device.name
} as const

/**
 * The common case of a native client: nothing in the values needs percent-encoding.
 *
 * @since 0.1.0
 * @category inputs
 */
export const plainClient: SdkClientInfo = { name: "Jellyfin-Web", version: "10.10.7" }

/**
 * @since 0.1.0
 * @category inputs
 */
export const plainParams = { ...typicalParams, Client: plainClient.name } as const

/**
 * The headers of a browser's API request around the authorization header (what a server-side
 * `extract` walks through to find it).
 *
 * @since 0.1.0
 * @category inputs
 */
export const typicalRequest = {
  headers: {
    host: "jellyfin.example.org",
    "user-agent": userAgent,
    accept: "application/json",
    "accept-language": "en-US,en;q=0.5",
    "accept-encoding": "gzip, deflate, br",
    referer: "https://jellyfin.example.org/web/",
    authorization: typicalHeader,
    connection: "keep-alive",
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors"
  }
} as const

/**
 * Header shapes for the growth rows. `make(bytes)` repeats the shape's unit until the header is
 * at least `bytes` long (whole units only, so a valid shape stays valid) and closes it.
 * Adversarial shapes are runs of the characters the parser has to act on.
 *
 * @since 0.1.0
 * @category inputs
 */
export const growthShapes: ReadonlyArray<{ readonly name: string; readonly make: (bytes: number) => string }> = [
  // Distinct keys, so strict mode reads to the end too (it rejects a repeated key at once).
  { name: "typical", make: (bytes) => fill(`${typicalHeader}, `, ", ", (i) => `X${i}="Jellyfin%20Web"`, "", bytes) },
  { name: "commas", make: (bytes) => fill("MediaBrowser ", "", () => ",", "", bytes) },
  { name: "quotes", make: (bytes) => fill("MediaBrowser Token=", "", () => "\"", "", bytes) },
  { name: "percent signs", make: (bytes) => fill("MediaBrowser Token=\"", "", () => "%", "\"", bytes) },
  { name: "percent escapes", make: (bytes) => fill("MediaBrowser Token=\"", "", () => "%C3%A9", "\"", bytes) },
  { name: "equals signs", make: (bytes) => fill("MediaBrowser ", "", () => "=", "", bytes) },
  { name: "empty pairs", make: (bytes) => fill("MediaBrowser ", ", ", (i) => `a${i}=""`, "", bytes) }
]

const fill = (prefix: string, separator: string, unit: (i: number) => string, suffix: string, bytes: number) => {
  const parts = [prefix]
  let length = prefix.length + suffix.length
  for (let i = 0; length < bytes; i++) {
    const part = (i === 0 ? "" : separator) + unit(i)
    parts.push(part)
    length += part.length
  }
  parts.push(suffix)
  return parts.join("")
}

/**
 * The header sizes of the growth rows: 64 B, 128 B, …, up to `max`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const growthSizes = (max: number): ReadonlyArray<number> => {
  const sizes: Array<number> = []
  for (let size = 64; size <= max; size *= 2) sizes.push(size)
  return sizes
}
