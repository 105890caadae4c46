import * as Redacted from "effect/Redacted"
import type { ParsedHeader, Params } from "../AuthorizationHeader.js"
import type * as Generated from "../generated/MediaBrowserAuthorization.js"
import * as GeneratedSchema from "../generated/MediaBrowserAuthorizationSchema.js"

/** The generated parser's result with the token and every dictionary value `Redacted`. */
export const fromGenerated = (header: Generated.ParsedHeader): ParsedHeader => {
  const dictionary = new Map<string, Redacted.Redacted<string>>()
  for (const [key, value] of header.dictionary) dictionary.set(key, Redacted.make(value))
  return { scheme: header.scheme, params: GeneratedSchema.fromPlain(header.params), dictionary }
}

/** The parameters for the generated formatter: the token is revealed there, to be written into a header. */
export const toGenerated = (params: Params): Generated.Params => GeneratedSchema.toPlain(params)
