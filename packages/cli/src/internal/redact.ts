/**
 * Keeping secrets out of what the CLI prints. Structured values (a parsed Token, a token header)
 * are replaced by a description; free text (an echoed header, a log line) has every secret-looking
 * value masked with `*` of the same length, so carets printed under the text still line up.
 *
 * @internal
 */

// Keys whose values are credentials in MediaBrowser headers, query strings, Emby Connect and log
// lines. Matched case-insensitively: masking `token=` too costs nothing and the server's own
// case-sensitivity is not a reason to print a secret.
const secretKey = String.raw`(?:x-emby-token|x-mediabrowser-token|x-connect-usertoken|x-emby-connect-token|access_?token|accesskey|api_?key|token|password|passwd|pw)`
// key, separator (`=` or `:`, spaces around), then a quoted value (possibly unterminated) or an
// unquoted one up to a delimiter.
const keyValue = new RegExp(
  String.raw`(^|[^A-Za-z0-9_-])(${secretKey})(\s*[=:]\s*)("[^"]*"?|[^\s,&;"]+)`,
  "gi"
)

const stars = (text: string) => "*".repeat(text.length)

/** @internal */
export const isWhitespaceOnly = (value: string): boolean => value.trim() === ""

/**
 * Masks the values of secret-looking keys, and every occurrence of a known secret, keeping the
 * length of the text.
 *
 * @internal
 */
export const maskText = (text: string, known: Iterable<string> = []): string => {
  let masked = text.replace(keyValue, (_match, lead: string, key: string, sep: string, value: string) => {
    const quoted = value.startsWith("\"")
    const inner = quoted ? value.slice(1, value.endsWith("\"") && value.length > 1 ? -1 : undefined) : value
    const closing = quoted && value.length > 1 && value.endsWith("\"") ? "\"" : ""
    return `${lead}${key}${sep}${quoted ? "\"" : ""}${stars(inner)}${closing}`
  })
  for (const secret of known) {
    // Short or blank values would mask ordinary text ("a", " "); they are not secrets worth hiding.
    if (secret.trim().length < 4 || !masked.includes(secret)) continue
    masked = masked.split(secret).join(stars(secret))
  }
  return masked
}

/**
 * A header value under another scheme (`Bearer …`, `Basic …`) is a credential as a whole, and a
 * value without a space may be a bare token: mask everything after the scheme word (or all of it),
 * keeping the length so carets still line up. `MediaBrowser`/`Emby` values are left to
 * {@link maskText}, which masks only their secret parameters.
 *
 * @internal
 */
export const maskForeignScheme = (text: string): string => {
  const space = text.indexOf(" ")
  const scheme = (space < 0 ? text : text.slice(0, space)).toLowerCase()
  if (scheme === "mediabrowser" || scheme === "emby") return text
  if (space < 0) return text.replace(/\S/g, "*")
  return text.slice(0, space + 1) + text.slice(space + 1).replace(/\S/g, "*")
}

/**
 * How a secret value is shown when secrets are hidden. Empty and whitespace-only values are shown
 * as they are: they hide nothing, and "the token is a single space" is exactly what a user
 * debugging a 401 needs to see.
 *
 * @internal
 */
export const describe = (value: string, show: boolean): string =>
  show || isWhitespaceOnly(value) ? JSON.stringify(value) : `<redacted, ${value.length} chars>`

/**
 * The JSON form of a secret value when secrets are hidden: `{ redacted: true, length }`.
 *
 * @internal
 */
export const toJson = (value: string, show: boolean): unknown =>
  show || isWhitespaceOnly(value) ? value : { redacted: true, length: value.length }
