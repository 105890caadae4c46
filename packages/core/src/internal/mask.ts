/**
 * Masking of header text for error messages. This is not a parser: it only has to be conservative,
 * hiding anything that could be a secret in an input that may not even parse. Every masked character
 * becomes `*`, so offsets into the masked text still point at the same place.
 */

// The parameters whose values are shown in errors: they identify the client and are never secret.
const shownKeys: ReadonlySet<string> = new Set(["Client", "Version", "Device", "DeviceId", "UserId"])

const knownKeys: ReadonlySet<string> = new Set([...shownKeys, "Token"])

const knownSchemes: ReadonlySet<string> = new Set(["mediabrowser", "emby"])

// Well-known schemes of other credentials: showing the word helps ("you sent Basic"), the rest is masked.
const otherSchemes: ReadonlySet<string> = new Set(["basic", "bearer", "digest", "negotiate", "token"])

/**
 * `value` with every character replaced by `*` except structure (`,` `=` outside quotes, quotes,
 * whitespace), the names of known parameters and the values of the shown ones. After any other
 * scheme everything is masked (a `Bearer` or `Basic` credential is a secret as a whole), and an
 * unfamiliar scheme word is masked too (it may be a bare token).
 */
export const maskHeader = (value: string): string => {
  const space = value.indexOf(" ")
  if (space < 0) return knownSchemes.has(value.toLowerCase()) ? value : maskAll(value)
  const scheme = value.slice(0, space)
  if (!knownSchemes.has(scheme.toLowerCase())) {
    return (otherSchemes.has(scheme.toLowerCase()) ? scheme : maskAll(scheme)) + maskAll(value.slice(space))
  }
  let out = value.slice(0, space + 1)
  let inQuotes = false
  let segmentStart = space + 1
  // Whether the text since `segmentStart` is in key position (after the scheme or a comma) and
  // whether the current value belongs to a shown parameter.
  let expectingKey = true
  let showValue = false
  for (let i = space + 1; i < value.length; i++) {
    const c = value[i]
    if (c === "\"") {
      inQuotes = !inQuotes
    } else if (!inQuotes && (c === "=" || c === ",")) {
      const segment = value.slice(segmentStart, i)
      if (c === "=" && expectingKey) {
        out += knownKeys.has(segment.trim()) ? segment : maskValue(segment)
        showValue = shownKeys.has(segment.trim())
        expectingKey = false
      } else {
        // A value; with "=" the server re-keys here, and the new key's value is hidden.
        out += showValue && isPlainValue(segment) ? segment : maskValue(segment)
        showValue = false
        expectingKey = c === ","
      }
      out += c
      segmentStart = i + 1
    }
  }
  const last = value.slice(segmentStart)
  return out + (showValue && isPlainValue(last) ? last : maskValue(last))
}

// A shown parameter's value is shown only when it holds no `,`: a segment ends at every comma outside
// quotes, so one inside it means quotes swallowed the parameters after it, Token included
// (`Device="a \"b", Token="…"`), and the whole value is masked.
const isPlainValue = (segment: string): boolean => !segment.includes(",")

const maskValue = (segment: string): string => segment.replace(/[^"\s]/g, "*")

const maskAll = (text: string): string => text.replace(/\S/g, "*")

/** A one-line excerpt of `text` around `offset` (at most `radius` characters each side) and the caret column in it. */
export const excerpt = (text: string, offset: number, radius = 48): { readonly line: string; readonly column: number } => {
  const at = Math.max(0, Math.min(offset, text.length))
  const start = Math.max(0, at - radius)
  const end = Math.min(text.length, at + radius)
  const prefix = start > 0 ? "…" : ""
  const suffix = end < text.length ? "…" : ""
  // Control characters would break the caret's alignment (and the terminal).
  const body = text.slice(start, end).replace(/[\u0000-\u001f\u007f]/g, "?")
  return { line: prefix + body + suffix, column: prefix.length + (at - start) }
}
