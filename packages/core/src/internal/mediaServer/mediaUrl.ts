/**
 * URLs that carry the token in their query, for what cannot send a header: images, HLS and
 * progressive streams, downloads. Jellyfin reads `ApiKey` whatever its legacy switch; Emby reads
 * `api_key` and never `ApiKey` (the header spec's profiles say so).
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type * as Generated from "../../generated/MediaBrowserAuthorization.js"
import * as Profiles from "../profiles.js"
import * as Redaction from "../redaction.js"

/** A URL with a token in it. */
export interface MediaUrl {
  /** The URL with the token; reveal it only where it is handed over (an `<img src>`, a player). */
  readonly url: Redacted.Redacted<string>
  /** The same URL with the token replaced by `<redacted>`: for logs, errors and screens. */
  readonly masked: string
  /** The query parameter carrying the token. */
  readonly parameter: "ApiKey" | "api_key"
}

export type QueryValue = string | number | boolean | undefined

/** The query parameter a profile reads a token from whatever its legacy switch. */
export const tokenParameter = (profile: Generated.ProfileName): "ApiKey" | "api_key" =>
  Profiles.reads(profile, "ApiKey", false) ? "ApiKey" : "api_key"

/**
 * `path` (relative to the API base, e.g. `Items/1/Images/Primary`) under `baseUrl` with `query` and
 * the token. A path that would leave the API base (an absolute URL, `//host`, `..`) is refused: the
 * token must not go anywhere else.
 */
export const make = (options: {
  readonly baseUrl: string
  readonly profile: Generated.ProfileName
  readonly token: Redacted.Redacted<string>
  readonly path: string
  readonly query?: Readonly<Record<string, QueryValue>> | undefined
}): Either.Either<MediaUrl, string> => {
  const parameter = tokenParameter(options.profile)
  const relative = options.path.replace(/^\/+/, "")
  if (/^[a-z][a-z\d+\-.]*:/i.test(relative)) {
    return Either.left(`${JSON.stringify(options.path)} is not a path under the server's API`)
  }
  let url: URL
  try {
    url = new URL(relative, options.baseUrl)
  } catch {
    return Either.left(`${JSON.stringify(options.path)} is not a path`)
  }
  const base = new URL(options.baseUrl)
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    return Either.left(`${JSON.stringify(options.path)} leaves the server's API (${base.pathname})`)
  }
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value))
  }
  // One token parameter only: a caller's own (any case) would shadow or duplicate it.
  for (const name of [...url.searchParams.keys()]) {
    if (Redaction.isSecretQueryName(name)) url.searchParams.delete(name)
  }
  url.searchParams.set(parameter, Redacted.value(options.token))
  const text = url.toString()
  return Either.right({ url: Redacted.make(text), masked: Redaction.redactUrl(text), parameter })
}
