import * as Redacted from "effect/Redacted"
import type { ParsedHeader, Params } from "../AuthorizationHeader.js"
import type * as Generated from "../generated/MediaBrowserAuthorization.js"

/** The generated parser's result with the token and every dictionary value `Redacted`. */
export const fromGenerated = (header: Generated.ParsedHeader): ParsedHeader => {
  const { Token, ...rest } = header.params
  const dictionary = new Map<string, Redacted.Redacted<string>>()
  for (const [key, value] of header.dictionary) dictionary.set(key, Redacted.make(value))
  return {
    scheme: header.scheme,
    params: Token === undefined ? rest : { Token: Redacted.make(Token), ...rest },
    dictionary
  }
}

/** The parameters for the generated formatter: the one place the token is revealed, to be written into a header. */
export const toGenerated = (params: Params): Generated.Params => {
  const { Token, ...rest } = params
  return Token === undefined ? rest : { Token: Redacted.value(Token), ...rest }
}
