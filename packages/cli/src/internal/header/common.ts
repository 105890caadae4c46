/**
 * Shared pieces of the header and request commands: secret-aware views of parsed headers and
 * extractions, for humans and for `--json`.
 *
 * @internal
 */
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import type * as Ansi from "../ansi.js"
import * as Redaction from "@mbauth/core/Redaction"
import * as Secret from "../../Secret.js"

/**
 * Whether a dictionary key's value may be a secret: every key but the client identity. A miscased
 * `token`, a quoted `"Token"` or the empty key of `Token==…` is ignored by the server, but the user
 * still sent a credential.
 *
 * @internal
 */
export const isSecretKey = (key: string): boolean => !Redaction.isShownParameter(key)

/**
 * Every secret value in some parsed dictionaries, to mask wherever else it shows up.
 *
 * @internal
 */
export const secretsIn = (dictionaries: Iterable<ReadonlyMap<string, string> | undefined>): Array<string> => {
  const found: Array<string> = []
  for (const dictionary of dictionaries) {
    if (dictionary === undefined) continue
    for (const [key, value] of dictionary) if (isSecretKey(key)) found.push(value)
  }
  return found
}

/**
 * The secret values in one header value: those the server's own (compat) parse finds, legacy
 * schemes included, whatever mode is being shown. A caller that already has that parse passes it in.
 *
 * @internal
 */
export const secretsOf = (
  value: string,
  compat: Generated.Result<Generated.ParsedHeader, Generated.ParseError> = Generated.parse(value, { mode: "compat", legacy: true })
): Array<string> => secretsIn([compat._tag === "Ok" ? compat.value.dictionary : undefined])

/** The view for one header value: its own secrets are the ones to mask. @internal */
export const viewFor = (
  value: string,
  show: boolean,
  compat?: Generated.Result<Generated.ParsedHeader, Generated.ParseError>
): View => makeView(show, secretsOf(value, compat))

/** @internal */
export interface View {
  readonly show: boolean
  /** Secret values to mask inside other values and echoed input. */
  readonly known: ReadonlyArray<string>
  /** Masks a text that is not itself a secret: secret-looking fields and the `known` values. */
  readonly mask: (text: string) => string
}

/** @internal */
export const makeView = (show: boolean, known: ReadonlyArray<string>): View => ({ show, known, mask: Redaction.textMask(known) })

/** A value for humans: JSON-quoted (so spaces and control characters show), secrets described. @internal */
export const showValue = (key: string, value: string, view: View): string =>
  isSecretKey(key) ? Secret.describe(value, view.show) : JSON.stringify(view.show ? value : view.mask(value))

// A value for `--json`: a secret described, anything else masked.
const shownJson = (secret: boolean, value: string, view: View): unknown =>
  secret ? Secret.toJson(value, view.show) : view.show ? value : view.mask(value)

/** A value for `--json`. @internal */
export const jsonValue = (key: string, value: string, view: View): unknown => shownJson(isSecretKey(key), value, view)

/** A header value echoed back: everything that may be a secret masked unless shown, keeping offsets. @internal */
export const echo = (text: string, view: View): string =>
  view.show ? text : view.mask(Redaction.maskHeader(text))

const knownNames = new Set<string>(Generated.PARAMETERS.map((p) => p.name))

/** The dictionary as `[key, value]` pairs in the server's order, for `--json`. @internal */
export const dictionaryJson = (dictionary: ReadonlyMap<string, string>, view: View): Array<[string, unknown]> => {
  const out: Array<[string, unknown]> = []
  for (const [key, value] of dictionary) out.push([key, jsonValue(key, value, view)])
  return out
}

/** The known parameters, for `--json`: the table says which one is the secret. @internal */
export const paramsJson = (params: Generated.Params, view: View): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const p of Generated.PARAMETERS) {
    const value = params[p.name]
    if (value !== undefined) out[p.name] = shownJson(p.secret, value, view)
  }
  return out
}

/** One line per dictionary entry, keys aligned; keys the server never reads are marked. @internal */
export const dictionaryLines = (
  dictionary: ReadonlyMap<string, string>,
  view: View,
  style: Ansi.Styles,
  indent = "  "
): Array<string> => {
  const shownKey = (key: string) => (/^[A-Za-z0-9]+$/.test(key) ? key : JSON.stringify(key))
  const width = Math.max(0, ...Array.from(dictionary.keys(), (key) => shownKey(key).length))
  if (dictionary.size === 0) return [`${indent}${style.dim("(no parameters)")}`]
  return Array.from(dictionary, ([key, value]) => {
    const note = knownNames.has(key) ? "" : style.dim(key === "" ? "  (no key: the server ignores it)" : "  (the server does not read this key)")
    return `${indent}${shownKey(key).padEnd(width)}  ${showValue(key, value, view)}${note}`
  })
}

/** The parameters in one line: `Client="x" Token=<redacted, 32 chars>`. @internal */
export const paramsInline = (dictionary: ReadonlyMap<string, string>, view: View): string =>
  dictionary.size === 0
    ? "(no parameters)"
    : Array.from(dictionary, ([key, value]) => `${key === "" ? "\"\"" : key}=${showValue(key, value, view)}`).join(" ")

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

/** One way a server can be configured: a profile, and the legacy switch where it has one. @internal */
export interface Variant {
  readonly profile: Generated.ProfileName
  /** The switch's position, or undefined for profiles without one. */
  readonly legacy: boolean | undefined
  readonly isDefault: boolean
  readonly label: string
}

/**
 * Every profile (or one), with the legacy switch in its default position first and then flipped.
 *
 * @internal
 */
export const variants = (only?: Generated.ProfileName): Array<Variant> =>
  Generated.PROFILES.filter((p) => only === undefined || p.name === only).flatMap((p): Array<Variant> => {
    if (p.legacyDefault === null) return [{ profile: p.name, legacy: undefined, isDefault: true, label: p.name }]
    const on = (legacy: boolean, isDefault: boolean): Variant => ({
      profile: p.name,
      legacy,
      isDefault,
      label: `${p.name} legacy ${legacy ? "on" : "off"}${isDefault ? " (default)" : ""}`
    })
    return [on(p.legacyDefault, true), on(!p.legacyDefault, false)]
  })

/** Runs `extract` for a variant. @internal */
export const extractFor = (request: Generated.RequestLike, variant: Variant): Generated.Extraction =>
  Generated.extract(
    request,
    variant.legacy === undefined ? { profile: variant.profile } : { profile: variant.profile, legacy: variant.legacy }
  )

/** An extraction for `--json`. @internal */
export const extractionJson = (variant: Variant, extraction: Generated.Extraction, view: View): Record<string, unknown> => ({
  profile: variant.profile,
  legacy: variant.legacy ?? null,
  legacyIsDefault: variant.isDefault,
  token: extraction.token === undefined
    ? null
    : { transport: extraction.token.transport, value: Secret.toJson(extraction.token.value, view.show) },
  hasToken: extraction.hasToken,
  authorization: extraction.authorization === undefined
    ? null
    : {
      transport: extraction.authorization.transport,
      scheme: extraction.authorization.header.scheme,
      params: paramsJson(extraction.authorization.header.params, view)
    },
  candidates: extraction.candidates.map((c) => ({
    transport: c.transport,
    value: Secret.toJson(c.value, view.show),
    ...(c.ignored === undefined ? {} : { ignored: c.ignored })
  })),
  warnings: extraction.warnings,
  parameters: paramsJson(extraction.parameters, view),
  parameterValues: extraction.parameterValues.map((v) => ({ ...v, value: jsonValue(v.parameter, v.value, view) }))
})

const ignoredText: Record<Generated.IgnoredReason, string> = {
  LegacyDisabled: "ignored: legacy authorization is off",
  NotReadByProfile: "ignored: this server never reads it",
  Shadowed: "ignored: another source was read instead"
}

/** Where a separate value travels: `X-Emby-Client header`, `X-Emby-Client query parameter`. @internal */
export const separateValueName = (v: Generated.ParameterValue): string =>
  `${v.name} ${v.via === "query" ? "query parameter" : "header"}`

/**
 * The separate values a profile would read for the login parameters a request leaves absent or
 * empty, e.g. `["X-Emby-Client-Version", "X-Emby-Device-Id"]` (Emby only).
 *
 * @internal
 */
export const separateValuesFor = (profile: Generated.ProfileName, parameters: Generated.Params): Array<string> => {
  const p = Generated.PROFILES.find((x) => x.name === profile)
  if (p === undefined || !("separateValues" in p)) return []
  const missing = Generated.PARAMETERS.filter((x) => x.requiredFor.some((op) => op === "login") && (parameters[x.name] ?? "") === "")
  return Generated.SEPARATE_VALUES.filter((v) => missing.some((x) => x.name === v.parameter)).map((v) => v.header)
}

/** The token line of an extraction. @internal */
export const tokenSummary = (extraction: Generated.Extraction, view: View, style: Ansi.Styles): string => {
  if (extraction.token === undefined) return style.yellow("no token: the request is anonymous")
  const value = Secret.describe(extraction.token.value, view.show)
  return extraction.hasToken
    ? `${style.green(extraction.token.transport)} ${value}`
    : `${style.yellow(extraction.token.transport)} ${value} ${style.yellow("(white space only: the request is anonymous)")}`
}

/** A few lines describing an extraction. @internal */
export const extractionLines = (
  variant: Variant,
  extraction: Generated.Extraction,
  view: View,
  style: Ansi.Styles
): Array<string> => {
  const lines = [style.bold(variant.label)]
  lines.push(`  token     ${tokenSummary(extraction, view, style)}`)
  const auth = extraction.authorization
  lines.push(
    auth === undefined
      ? `  client    ${style.dim("none: no scheme header was read")}`
      : `  client    ${auth.transport} (${auth.header.scheme}) ${
        paramsInline(new Map(Object.entries(auth.header.params).filter(([key]) => !isSecretKey(key))), view)
      }`
  )
  for (const v of extraction.parameterValues) {
    if (v.via === "scheme") continue
    const value = `${separateValueName(v)} ${v.parameter}=${showValue(v.parameter, v.value, view)}`
    lines.push(v.ignored === undefined ? `  client    ${value}` : `  ${style.dim("skipped")}   ${value} ${style.dim(ignoredText[v.ignored])}`)
  }
  for (const c of extraction.candidates) {
    if (c.ignored === undefined) continue
    lines.push(`  ${style.dim("skipped")}   ${c.transport} ${Secret.describe(c.value, view.show)} ${style.dim(ignoredText[c.ignored])}`)
  }
  for (const w of extraction.warnings) lines.push(`  ${style.yellow("warning")}   ${w.code}: ${w.message}`)
  return lines
}

/** One line per variant: `profile: transport` (or `none`). @internal */
export const variantsInline = (
  results: ReadonlyArray<readonly [Variant, Generated.Extraction]>
): string =>
  results
    .map(([variant, extraction]) =>
      `${variant.label}: ${
        extraction.token === undefined ? "none" : `${extraction.token.transport}${extraction.hasToken ? "" : " (blank)"}`
      }`
    )
    .join(" | ")
