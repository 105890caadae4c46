import * as Redacted from "effect/Redacted"
import type { Params, ParsedHeader } from "../AuthorizationHeader.js"
import * as Generated from "../generated/MediaBrowserAuthorization.js"

// The spec marks which parameters are secret (the token): those are `Redacted` in `Params`.
const secretParameters: ReadonlySet<string> = new Set(
  Generated.PARAMETERS.filter((parameter) => parameter.secret).map((parameter) => parameter.name)
)

/**
 * A header from the generated parser as a `ParsedHeader`, every secret wrapped by `redact`.
 *
 * @internal
 */
export const fromGenerated = (
  header: Generated.ParsedHeader,
  redact: (value: string) => Redacted.Redacted<string>
): ParsedHeader => {
  const params: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(header.params)) {
    if (value !== undefined) params[name] = secretParameters.has(name) ? redact(value) : value
  }
  const dictionary = new Map<string, Redacted.Redacted<string>>()
  for (const [key, value] of header.dictionary) dictionary.set(key, redact(value))
  return { scheme: header.scheme, params: params as Params, dictionary }
}

/**
 * A `Redacted.make` that gives the same `Redacted` for every occurrence of `shared` (a token is
 * also its candidate and the header's `Token`): each `Redacted` costs an entry in Effect's global
 * registry.
 *
 * @internal
 */
export const redactSharing = (shared: string | undefined): (value: string) => Redacted.Redacted<string> => {
  const redacted = shared === undefined ? undefined : Redacted.make(shared)
  return (value) => redacted !== undefined && value === shared ? redacted : Redacted.make(value)
}
