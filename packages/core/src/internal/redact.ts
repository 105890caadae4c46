/**
 * Scrubbing of secrets from text that ends up in errors: response-body excerpts, decode issues,
 * transport error descriptions and addresses. Errors are shown to users, logged and serialised,
 * so nothing that passes through here may still contain a password, token or AccessKey.
 *
 * @internal
 */

/** What replaces a secret. */
export const REDACTED = "<redacted>"

/** The longest excerpt of a response body an error carries. */
export const EXCERPT_LENGTH = 240

// Only this much of a body is ever examined: excerpts come from the start, so the cut point
// (which could split a secret) can never reach the excerpt.
const SCAN_LENGTH = 64 * 1024

// Field names whose values are secrets in MediaBrowser / Emby Connect payloads: AccessToken,
// AccessKey, ExchangeToken, ConnectAccessKey, SupporterKey, Pw, rawpw, Password, api_key, …
const SECRET_NAME = /token|key|pass|^pw$|rawpw|secret|auth|cookie/i

const isSecretName = (name: string): boolean => SECRET_NAME.test(name)

// `"AccessToken" : "value` with or without the closing quote (truncated bodies), or an unquoted
// scalar. The name group may hold escaped quotes.
const JSON_PAIR = /("((?:[^"\\]|\\.)*)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g

// `rawpw=value` in form or query strings, and `Token="value"` in MediaBrowser headers.
const ASSIGNMENT = /(\b([A-Za-z_][\w-]*)\s*=\s*)("[^"]*"?|[^&\s,;]+)/g

// Nothing to hide in an empty or null value; keeping it makes excerpts more useful.
const EMPTY_VALUE = /^(""|null)$/

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/**
 * The forms a secret value can take in a body or message: raw, JSON-escaped, URL-encoded.
 */
const variants = (secret: string): ReadonlyArray<string> => {
  const json = JSON.stringify(secret).slice(1, -1)
  let encoded = secret
  try {
    encoded = encodeURIComponent(secret)
  } catch {
    // lone surrogates cannot be URL-encoded; the raw form still gets replaced
  }
  return [...new Set([secret, json, encoded])].filter((s) => s.length > 0)
}

/**
 * Replaces every occurrence of the given secret values. Longest first, so a secret that contains
 * another is removed whole.
 */
export const scrubValues = (text: string, secrets: ReadonlyArray<string>): string => {
  const all = secrets.flatMap(variants).sort((a, b) => b.length - a.length)
  let out = text
  for (const secret of all) out = out.split(secret).join(REDACTED)
  return out
}

const redactJsonValue = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redactJsonValue)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretName(k) && v !== null && v !== "" ? REDACTED : redactJsonValue(v)
    }
    return out
  }
  return value
}

/**
 * Redacts values of secret-looking fields in text that may be JSON, truncated JSON, a form body
 * or free text, then replaces the given secret values wherever they appear.
 */
export const redactText = (text: string, secrets: ReadonlyArray<string> = []): string => {
  const scanned = text.length > SCAN_LENGTH ? text.slice(0, SCAN_LENGTH) : text
  let out: string
  try {
    out = JSON.stringify(redactJsonValue(JSON.parse(scanned)))
  } catch {
    out = scanned
      .replace(JSON_PAIR, (whole, prefix: string, name: string, value: string) =>
        isSecretName(name) && !EMPTY_VALUE.test(value) ? `${prefix}"${REDACTED}"` : whole)
      .replace(ASSIGNMENT, (whole, prefix: string, name: string, value: string) =>
        isSecretName(name) && !EMPTY_VALUE.test(value) ? `${prefix}${REDACTED}` : whole)
  }
  return scrubValues(out, secrets)
}

/**
 * A short, single-line, secret-free excerpt of a response body for an error message.
 */
export const excerpt = (body: string, secrets: ReadonlyArray<string> = []): string => {
  const redacted = redactText(body, secrets).trim().replace(/\s+/g, " ").replace(CONTROL, "\uFFFD")
  return redacted.length > EXCERPT_LENGTH ? `${redacted.slice(0, EXCERPT_LENGTH)}…` : redacted
}

/**
 * The address of a request as errors show it: scheme, host, port and path. User info, query and
 * fragment are dropped, because tokens sometimes travel there (`api_key=`, `X-Emby-Token=`).
 */
export const safeAddress = (url: URL | string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return redactText(String(url).replace(/[?#].*$/s, "").replace(/\/\/[^/@]*@/, "//"))
  }
}
