// The slow reference the fuzz tests compare the generated parser with: Jellyfin's header reading
// written straight from Jellyfin's AuthorizationContext.GetParts (core's docs/server-facts.md), with no shortcut.
// GetParts is a literal, deliberately naive port of the C# loop (same variable names); UrlDecode
// is .NET's WebUtility.UrlDecode with TextDecoder doing the UTF-8 replacement. Nothing here is
// optimised, so it can be read against the notes line by line.

// .NET `char.IsWhiteSpace`, which `string.Trim()` uses (U+0085 and U+00A0 included, U+FEFF not).
const DOTNET_WHITE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/

// Trims with loops, not a `x+$` regex: that backtracks quadratically on the fuzzer's long runs.
const trimWhere = (s: string, strip: (c: string) => boolean): string => {
  let from = 0
  let to = s.length
  while (from < to && strip(s[from]!)) from++
  while (to > from && strip(s[to - 1]!)) to--
  return s.slice(from, to)
}

const dotnetTrim = (s: string) => trimWhere(s, (c) => DOTNET_WHITE_SPACE.test(c))

// §3 decode step 1: every leading and trailing `"`, and nothing else.
const trimQuotes = (s: string) => trimWhere(s, (c) => c === "\"")

const hex = (c: string | undefined) => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1)

/** §3 decode step 2: `WebUtility.UrlDecode`. */
export const referenceUrlDecode = (value: string): string => {
  const bytes: Array<number> = []
  let out = ""
  const flush = () => {
    // .NET's Encoding.UTF8.GetString keeps a byte order mark; TextDecoder drops it unless told.
    if (bytes.length > 0) out += new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(bytes))
    bytes.length = 0
  }
  for (let pos = 0; pos < value.length; pos++) {
    let ch = value.charCodeAt(pos)
    if (ch === 0x2b) ch = 0x20
    else if (ch === 0x25 && pos < value.length - 2) {
      const h1 = hex(value[pos + 1])
      const h2 = hex(value[pos + 2])
      if (h1 >= 0 && h2 >= 0) {
        bytes.push(h1 * 16 + h2)
        pos += 2
        continue
      }
    }
    if ((ch & 0xff80) === 0) bytes.push(ch)
    else {
      flush()
      out += String.fromCharCode(ch)
    }
  }
  flush()
  return out
}

/** §3 `GetParts`: the dictionary of everything after the scheme. Never fails. */
export const referenceGetParts = (header: string): Map<string, string> => {
  const result = new Map<string, string>()
  let escaped = false
  let start = 0
  let key = ""
  let i = 0
  for (; i < header.length; i++) {
    const token = header[i]
    if (token === "\"" || token === ",") {
      escaped = !escaped === (token === "\"")
      if (token === "," && !escaped) {
        if (start < i) {
          result.set(key, referenceUrlDecode(trimQuotes(header.slice(start, i))))
          key = ""
        }
        start = i + 1
      }
    } else if (!escaped && token === "=") {
      key = dotnetTrim(header.slice(start, i))
      start = i + 1
    }
  }
  if (start < i) result.set(key, referenceUrlDecode(trimQuotes(header.slice(start, i))))
  return result
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

/**
 * §2 + §3: what the server reads from a whole header value. The scheme is the text before the
 * first U+0020, compared ignoring ASCII case; `Emby` only while legacy authorization is on. No
 * space, an empty scheme or another scheme: no dictionary at all (`undefined`).
 */
export const referenceRead = (value: string, legacy: boolean): Map<string, string> | undefined => {
  const space = value.indexOf(" ")
  if (space <= 0) return undefined
  const scheme = asciiLower(value.slice(0, space))
  if (scheme !== "mediabrowser" && !(scheme === "emby" && legacy)) return undefined
  return referenceGetParts(value.slice(space + 1))
}

/** §7: Kestrel (and Node's llhttp) strip leading and trailing SP / HTAB from a header value. */
export const kestrelTrim = (value: string): string => trimWhere(value, (c) => c === " " || c === "\t")
