/**
 * The header linter: finds what in an authorization header value makes the server read something
 * other than what the client meant, and says how to fix it.
 *
 * It walks the generated module's compat `scan` (the server's scan, with the offset of every key,
 * value and empty segment), so every finding points at a character. The generated module decides
 * what the server reads; this module only explains it. Messages name keys and offsets, never
 * values: a header carries a token.
 *
 * @internal
 */
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import { isDotnetWhiteSpace } from "@mbauth/runtime"

/** @internal */
export type Severity = "error" | "warning" | "info"

/** @internal */
export interface Finding {
  /** error: the server will not read what the client meant; warning: works, but fragile or non-standard. */
  readonly severity: Severity
  readonly code: string
  readonly message: string
  /** UTF-16 offset into the header value. */
  readonly offset: number
  readonly fix: string
}

const known = Generated.PARAMETERS.map((p) => p.name as string)
const knownLower = new Map(known.map((name) => [name.toLowerCase(), name]))
const secretNames = new Set<string>(Generated.PARAMETERS.filter((p) => p.secret).map((p) => p.name))
const tokenName = Generated.TOKEN_PARAMETER

const isSecret = (key: string) => secretNames.has(knownLower.get(key.toLowerCase()) ?? key)
const isAlphanumeric = (s: string) => /^[A-Za-z0-9]+$/.test(s)
const isWhiteSpaceOnly = (s: string) => {
  for (let i = 0; i < s.length; i++) if (!isDotnetWhiteSpace(s.charCodeAt(i))) return false
  return true
}

interface Stored {
  readonly key: string
  readonly keyOffset: number
  /** The key came out of another key's unquoted value (after a stray `=`): already reported. */
  readonly junk: boolean
}

/**
 * Lints a header value.
 *
 * @internal
 */
export const lint = (value: string): Array<Finding> => {
  const findings: Array<Finding> = []
  const add = (severity: Severity, code: string, offset: number, message: string, fix: string) =>
    findings.push({ severity, code, message, offset, fix })
  const severityFor = (key: string): Severity => (isSecret(key) ? "error" : "warning")
  const unterminated = (offset: number) =>
    add("warning", "UnterminatedQuote", offset, "this quote is never closed: the server takes the rest of the header as one value", "close the quote")

  const compat = Generated.parse(value, { mode: "compat", legacy: true })
  if (compat._tag === "Err") {
    const fix = compat.error.code === "MissingScheme"
      ? "start the value with `MediaBrowser ` (one space) followed by the parameters"
      : "use the MediaBrowser scheme: `MediaBrowser Token=\"…\", Client=\"…\", …`"
    add("error", compat.error.code, compat.error.offset, `${compat.error.message}; the server reads no client info and no token from it`, fix)
    return findings
  }
  const scheme = Generated.SCHEMES.find((s) => s.name === compat.value.scheme)
  if (scheme?.legacy) {
    add(
      "warning",
      "LegacyScheme",
      0,
      `the ${scheme.name} scheme is legacy: Jellyfin 10.11 reads it only while legacy authorization is on, Jellyfin 12 not by default`,
      "write `MediaBrowser` instead"
    )
  }

  // ---- the server's scan, with positions -----------------------------------------------------
  const scanned = Generated.scan(value, { mode: "compat", legacy: true })
  if (scanned._tag === "Err") return findings // the parse above succeeded, so the scan does too
  const { parts, unterminatedQuote } = scanned.value
  const n = value.length
  const stored: Array<Stored> = []
  // Whether the pending key came out of another key's unquoted value (after a stray `=`).
  let keyJunk = false
  // The key set by the last unquoted `=`, still waiting for its value.
  let pending: { readonly key: string; readonly offset: number; readonly junk: boolean } | undefined

  const segment = (part: Extract<Generated.Scan["parts"][number], { _tag: "Value" }>) => {
    const segStart = part.start
    const segEnd = part.end
    const raw = value.slice(segStart, segEnd)
    const name = part.key === undefined ? "" : value.slice(part.key.start, part.key.end)
    if (part.key === undefined) {
      add(
        "warning",
        "ValueWithoutKey",
        segStart,
        "text after an unquoted comma has no key: the server stores it under the empty key and ignores it",
        "a comma inside a value must be inside quotes or encoded as %2C"
      )
    }
    stored.push({ key: name, keyOffset: part.key?.start ?? segStart, junk: keyJunk })
    pending = undefined
    keyJunk = false
    const shown = name === "" ? "the keyless text" : `the value of ${name}`
    const sev = severityFor(name)

    if (/^\s+"/.test(raw)) {
      add(sev, "SpaceAfterEquals", segStart, `a space after "=" stays in ${shown}, and then its quotes do too`, "remove the space between \"=\" and the opening quote")
    } else if (!raw.startsWith("\"") && name !== "") {
      add(
        "warning",
        "UnquotedValue",
        segStart,
        `${shown} is not quoted: a comma or "=" in it will split it, and the documented grammar requires quotes`,
        `write ${name}="…" (percent-encode the value)`
      )
    }
    if (/"\s+$/.test(raw)) {
      add(sev, "SpaceBeforeComma", segEnd - 1, `the space after the closing quote stays in ${shown}, with the quote`, "remove the space before the comma")
    }
    // Quotes inside the value (no escapes exist): harmless when balanced, but an odd number
    // swallows the following parameters into this value.
    let q0 = 0
    let q1 = raw.length
    while (q0 < q1 && raw.charCodeAt(q0) === 34) q0++
    while (q1 > q0 && raw.charCodeAt(q1 - 1) === 34) q1--
    const inner = raw.slice(q0, q1)
    if (inner.includes("\"")) {
      const swallowed = Array.from(inner.matchAll(/,\s*([^\s=",]+)\s*=/g), (m) => m[1]!)
      const firstInner = segStart + q0 + inner.indexOf("\"")
      if (swallowed.length > 0) {
        const hidesSecret = swallowed.some(isSecret)
        add(
          hidesSecret || swallowed.some((k) => knownLower.has(k.toLowerCase())) ? "error" : "warning",
          "SwallowedParameters",
          firstInner,
          `a stray quote in ${shown} makes the server read ${swallowed.join(", ")} as part of it, so it never sees ${
            swallowed.length === 1 ? "that parameter" : "those parameters"
          }`,
          "remove the stray quote or encode it as %22 (there is no backslash escape)"
        )
      } else {
        add("warning", "InnerQuote", firstInner, `quotes inside ${shown} are kept as they are (there is no escape character)`, "encode a quote inside a value as %22")
      }
    }
    for (let i = segStart; i < segEnd; i++) {
      const c = value.charCodeAt(i)
      if (c === 43) {
        add(sev, "PlusIsSpace", i, `"+" in ${shown} becomes a space (the server form-decodes values)`, "encode \"+\" as %2B, and a space as %20")
        break
      }
    }
    for (let i = segStart; i < segEnd; i++) {
      if (value.charCodeAt(i) !== 37) continue
      const hex = /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3)) && i + 2 < segEnd
      if (!hex) {
        add("warning", "InvalidPercentEncoding", i, `"%" in ${shown} is not followed by two hex digits, so it stays a literal "%"`, "encode \"%\" as %25")
        break
      }
    }
  }

  parts.forEach((part, index) => {
    switch (part._tag) {
      case "Key": {
        const newKey = value.slice(part.start, part.end)
        if (pending !== undefined) {
          // The previous key never got a value: this unquoted "=" turned its value into a key.
          if (!pending.junk) {
            add(
              severityFor(pending.key),
              "ValueLost",
              part.equals,
              `the unquoted "=" here ends the value of ${pending.key === "" ? "a key" : pending.key}: the server loses that value`,
              `quote the value (${pending.key === "" ? "key" : pending.key}="…") and encode "=" as %3D`
            )
          }
          keyJunk = true
        } else keyJunk = false
        pending = { key: newKey, offset: part.start, junk: keyJunk }
        return
      }
      case "EmptySegment": {
        if (pending !== undefined) {
          add(
            "warning",
            "EmptyValue",
            part.comma,
            `${
              pending.key === "" ? "a key" : pending.key
            } has an empty unquoted value: nothing is stored, and the next text without a key becomes its value`,
            `write ${pending.key === "" ? "the key" : pending.key}="" or leave the parameter out`
          )
          pending = undefined
        }
        return
      }
      case "Value": {
        // An unterminated quote runs to the end: say so before what the last segment holds.
        if (unterminatedQuote !== undefined && index === parts.length - 1) unterminated(unterminatedQuote)
        segment(part)
      }
    }
  })
  const last = parts.at(-1)
  if (unterminatedQuote !== undefined && last?._tag !== "Value") unterminated(unterminatedQuote)
  if (pending !== undefined && !pending.junk) {
    add(
      severityFor(pending.key),
      "EmptyValue",
      n,
      `${pending.key === "" ? "a key" : pending.key} has no value at the end of the header, so the server stores nothing for it`,
      `write ${pending.key === "" ? "the key" : pending.key}="…"`
    )
  }

  // ---- keys -----------------------------------------------------------------------------------
  const seen = new Map<string, number>()
  for (const entry of stored) {
    if (entry.key === "" || entry.junk) continue
    const previous = seen.get(entry.key)
    if (previous !== undefined) {
      add(
        "warning",
        "DuplicateKey",
        entry.keyOffset,
        `${entry.key} appears more than once: the server keeps the last one`,
        `send ${entry.key} once`
      )
    }
    seen.set(entry.key, entry.keyOffset)
    const canonical = knownLower.get(entry.key.toLowerCase())
    if (canonical !== undefined && canonical !== entry.key) {
      add(
        severityFor(canonical),
        "KeyCase",
        entry.keyOffset,
        `keys are case-sensitive: the server reads ${canonical}, not ${entry.key}, so this value is ignored`,
        `rename ${entry.key} to ${canonical}`
      )
    } else if (canonical === undefined) {
      if (isAlphanumeric(entry.key)) {
        add("info", "UnknownKey", entry.keyOffset, `the server does not read ${entry.key}`, `leave ${entry.key} out, or check its spelling`)
      } else {
        add("warning", "InvalidKey", entry.keyOffset, "keys may only contain ASCII letters and digits", "rename the key")
      }
    }
  }

  // ---- what the server ends up with -----------------------------------------------------------
  const params = compat.value.params
  const token = params[tokenName as "Token"]
  const tokenOffset = stored.filter((s) => s.key === tokenName).at(-1)?.keyOffset ?? 0
  if (token === "") {
    add(
      "warning",
      "EmptyToken",
      tokenOffset,
      `${tokenName} is empty: the server falls through to the other token sources (X-Emby-Token, ApiKey…), and without one the request is anonymous`,
      `leave ${tokenName} out until there is a token, then send it`
    )
  } else if (token !== undefined && isWhiteSpaceOnly(token)) {
    add(
      "error",
      "WhiteSpaceToken",
      tokenOffset,
      `${tokenName} is white space only: it blocks every other token source, yet the server treats the request as anonymous`,
      `send the real token, or leave ${tokenName} out`
    )
  }
  // Without a token this is a login header, unless a token was sent and lost (already an error).
  if (token === undefined && findings.every((f) => f.severity !== "error")) {
    const missing = Generated.validate(params, "login").flatMap((issue) =>
      issue.code === "MissingParameter" && issue.parameter !== undefined ? [issue.parameter] : []
    )
    if (missing.length > 0) {
      add(
        "warning",
        "MissingForLogin",
        n,
        `there is no ${tokenName}, so this is a login header, but a login also needs ${missing.join(", ")}`,
        `add ${missing.map((name) => `${name}="…"`).join(", ")}`
      )
    }
  }
  const deviceId = params.DeviceId
  if (deviceId === "") {
    const at = stored.filter((s) => s.key === "DeviceId").at(-1)?.keyOffset ?? 0
    add("warning", "EmptyDeviceId", at, "DeviceId is empty: the server keys sessions and tokens by it", "send a stable, non-empty DeviceId")
  }

  // Anything the documented grammar rejects that no rule above explained.
  if (findings.length === 0) {
    const strict = Generated.parse(value, { mode: "strict", legacy: true })
    if (strict._tag === "Err") {
      add("info", `Strict${strict.error.code}`, strict.error.offset, `the documented grammar rejects this: ${strict.error.message}`, "servers accept it; strict clients may not")
    }
  }
  return findings.sort((a, b) => a.offset - b.offset)
}
