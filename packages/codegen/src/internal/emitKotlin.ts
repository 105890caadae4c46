// The `kotlin` target: `<Name>.kt` holds the spec's names as enums, its tables and a `Params` data
// class, with the spec's descriptions as KDoc; the runtime (runtimes/kotlin/Runtime.kt) is copied
// next to it and binds parse, format, validate and extract to them. Both are in one package, the
// spec's name in lower case.
import type { Ir } from "../Ir.js"
import { headerText } from "./header.js"
import type { Language } from "./language.js"

const KEYWORDS = new Set([
  "as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in", "interface", "is", "null", "object",
  "package", "return", "super", "this", "throw", "true", "try", "typealias", "typeof", "val", "var", "when", "while"
])

/** The package of a spec's Kotlin files: its name in lower case (`MediaBrowserAuthorization` → `mediabrowserauthorization`). */
export const packageName = (ir: Ir): string => ir.name.toLowerCase()

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

// `jellyfin-10.11` → `Jellyfin10_11`: words capitalized and joined, an underscore only between digits.
const pascal = (name: string): string => {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "")
  const joined = words.reduce((acc, w) => (/[0-9]$/.test(acc) && /^[0-9]/.test(w) ? `${acc}_${w}` : acc + capitalize(w)), "")
  return /^[A-Za-z]/.test(joined) ? joined : `_${joined}`
}

// `api_key` → `Api_key`: the fallback when two names give the same `pascal` identifier.
const literalName = (name: string): string => {
  const safe = capitalize(name.replace(/[^A-Za-z0-9_]/g, "_"))
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`
}

/**
 * Identifiers for `names`, in order and all different: each name in PascalCase, or, where that
 * collides with an earlier one, with its own spelling (non-identifier characters as `_`), then a
 * number.
 */
export const identifiers = (names: ReadonlyArray<string>, style: (s: string) => string = (s) => s): ReadonlyArray<string> => {
  const taken = new Set<string>()
  return names.map((name) => {
    let id = style(pascal(name))
    if (taken.has(id)) id = style(literalName(name))
    for (let n = 2; taken.has(id); n++) id = `${style(literalName(name))}${n}`
    taken.add(id)
    return KEYWORDS.has(id) ? `\`${id}\`` : id
  })
}

const decapitalize = (s: string): string => (s.startsWith("_") ? s : s.charAt(0).toLowerCase() + s.slice(1))

/** A Kotlin string literal. */
export const str = (s: string): string => {
  let out = "\""
  for (const ch of s) {
    const c = ch.charCodeAt(0)
    if (ch === "\"" || ch === "\\" || ch === "$") out += `\\${ch}`
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else if (c < 0x20 || c === 0x7f || (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)) out += `\\u${c.toString(16).padStart(4, "0")}`
    else out += ch
  }
  return `${out}"`
}

// Kotlin block comments nest, so `/*` would open one inside the KDoc.
const kdocText = (s: string): string => s.replace(/\*\//g, "*&#47;").replace(/\/\*/g, "&#47;*")

const kdoc = (text: string, indent = ""): string => `${indent}/** ${kdocText(text)} */`

const list = (items: ReadonlyArray<string>, indent: string): string =>
  items.length === 0 ? "emptyList()" : `listOf(\n${items.map((i) => `${indent}    ${i},`).join("\n")}\n${indent})`

const inlineList = (items: ReadonlyArray<string>): string => (items.length === 0 ? "emptyList()" : `listOf(${items.join(", ")})`)

const enumClass = (doc: string, name: string, entries: ReadonlyArray<{ readonly name: string; readonly description?: string }>): string => {
  const ids = identifiers(entries.map((e) => e.name))
  const body = entries.map((e, i) =>
    `${e.description === undefined ? "" : `${kdoc(e.description, "    ")}\n`}    ${ids[i]}(${str(e.name)}),`
  )
  return `${kdoc(doc)}\nenum class ${name}(override val wire: String) : Named {\n${body.join("\n")}\n}\n`
}

/** The module: the spec's names, tables and `Params`, bound to the runtime. */
export const emitKotlin = (ir: Ir): string => {
  const scheme = identifiers(ir.schemes.map((s) => s.name))
  const transport = identifiers(ir.transports.map((t) => t.name))
  const props = identifiers(ir.parameters.map((p) => p.name), decapitalize)
  const transportOf = (name: string) => `TransportName.${transport[ir.transports.findIndex((t) => t.name === name)]}`
  const g = ir.grammar
  const sources = (order: ReadonlyArray<{ readonly transport: string; readonly gatedByLegacy?: boolean }>) =>
    inlineList(order.map((s) => `SourceTable(${transportOf(s.transport)}${s.gatedByLegacy === true ? ", gatedByLegacy = true" : ""})`))
  const nullable = (s: string | undefined) => (s === undefined ? "null" : str(s))
  // Like the TypeScript module's tables, a spec without separate values leaves them out.
  const separateValues = ir.separateValues.length === 0 ? "" : `
    separateValues = ${
    list(
      ir.separateValues.map((v) =>
        `SeparateValueTable(${str(v.parameter)}, header = ${nullable(v.header)}, query = ${nullable(v.query)}, ` +
        `headerEncoding = HeaderEncoding.${pascal(v.headerEncoding)})`
      ),
      "    "
    )
  },`
  const reading = (p: Ir["profiles"][number]) =>
    p.separateValues === undefined ? "" : `            separateValues = SeparateValueReading(read = ${
      inlineList(p.separateValues.read.map((kind) => `TransportKind.${pascal(kind)}`))
    }, precedence = Precedence.${pascal(p.separateValues.precedence)}),\n`

  const tables = `${kdoc("The spec's tables, as the runtime reads them.")}
val TABLES: Tables<SchemeName, TransportName> = Tables(
    schemes = ${list(ir.schemes.map((s, i) => `SchemeTable(SchemeName.${scheme[i]}, legacy = ${s.legacy})`), "    ")},
    grammar = Grammar(
        schemeMatching = SchemeMatching.${pascal(g.schemeMatching)},
        valueDecoding = ValueDecoding.${pascal(g.valueDecoding)},
        duplicateKeys = DuplicateKeys.${pascal(g.duplicateKeys)},
        keyTrimming = KeyTrimming.${pascal(g.keyTrimming)},
        emptySegment = EmptySegment.${pascal(g.emptySegment)},
        repeatedValueSeparator = ${str(g.repeatedValueSeparator)},
    ),
    operations = ${inlineList(ir.operations.map((o) => str(o.name)))},
    parameters = ${
    list(
      ir.parameters.map((p) =>
        `ParameterTable(${str(p.name)}, secret = ${p.secret}, requiredFor = ${inlineList(p.requiredFor.map(str))}, nonEmpty = ${p.nonEmpty})`
      ),
      "    "
    )
  },
    tokenParameter = ${str(ir.tokenParameter)},
    transports = ${
    list(
      ir.transports.map((t, i) =>
        `TransportTable(TransportName.${transport[i]}, TransportKind.${pascal(t.kind)}, key = ${str(t.key)}, ` +
        `carries = Carries.${pascal(t.carries)}, deprecated = ${t.deprecated}, discouraged = ${t.discouraged}, ` +
        `replacement = ${t.replacement === undefined ? "null" : str(t.replacement)})`
      ),
      "    "
    )
  },${separateValues}
    profiles = ${
    list(
      ir.profiles.map((p) =>
        `ProfileTable(\n            ${str(p.name)},\n            legacyDefault = ${p.legacyDefault},\n` +
        `            warnDeprecated = ${p.warnDeprecated},\n            schemeHeaderOrder = ${sources(p.schemeHeaderOrder)},\n` +
        `            tokenOrder = ${sources(p.tokenOrder)},\n${reading(p)}        )`
      ),
      "    "
    )
  },
    formatStyles = ${
    list(
      ir.formatStyles.map((s) =>
        `FormatStyleTable(${str(s.name)}, order = ${inlineList(s.order.map(str))}, absent = Absent.${pascal(s.absent)}, separator = ${
          str(s.separator)
        })`
      ),
      "    "
    )
  },
)
`

  const shown = ir.parameters.map((p, i) => `${props[i]!.replaceAll("`", "")}=\${${p.secret ? `mask(${props[i]})` : props[i]}}`)
  const params = `${kdoc("The known parameters: null when absent, else the decoded string.")}
data class Params(
${ir.parameters.map((p, i) => `${kdoc(p.description + (p.secret ? " Secret." : ""), "    ")}\n    val ${props[i]}: String? = null,`).join("\n")}
) {
    ${kdoc("The parameters present, under their names on the wire, in canonical order.")}
    fun toMap(): Map<String, String> = listOfNotNull(
${ir.parameters.map((p, i) => `        ${props[i]}?.let { ${str(p.name)} to it },`).join("\n")}
    ).toMap()

    ${kdoc("Secret values are masked.")}
    override fun toString(): String = "Params(${shown.join(", ")})"

    companion object {
        ${kdoc("The known parameters among [map]'s entries (keys as the spec writes them); the others are left out.")}
        fun fromMap(map: Map<String, String>): Params = Params(${
    ir.parameters.map((p, i) => `${props[i]} = map[${str(p.name)}]`).join(", ")
  })
    }
}
`

  return `// ${headerText(ir)}
/*
 * ${kdocText(ir.title)}: tables, parse, format, validate and extract, generated from the spec.
 *
 * ${kdocText(ir.description)}
 */
@file:JvmName(${str(ir.name)})

package ${packageName(ir)}

${enumClass("A scheme name. `format` writes the first non-legacy one by default.", "SchemeName", ir.schemes)}
${enumClass("A parameter name.", "ParameterName", ir.parameters)}
${enumClass("A transport: every place a request can carry the scheme or a token.", "TransportName", ir.transports)}
${enumClass("A server profile: how a server chooses the scheme header and the token.", "ProfileName", ir.profiles)}
${enumClass("An operation `validate` knows.", "Operation", ir.operations)}
${enumClass("An output style of `format`.", "FormatStyle", ir.formatStyles)}
${params}
${tables}`
}

/** Line 1 of the runtime copy, and the package line the copy gets instead of the source's. */
const RUNTIME_PACKAGE = "package mbauth.runtime\n"

export const language: Language = {
  fileName: (ir) => `${ir.name}.kt`,
  emit: emitKotlin,
  runtime: [{
    path: () => "Runtime.kt",
    source: "kotlin/Runtime.kt",
    render: (source, ir) =>
      `// Copied by @mbauth/codegen from its runtimes/kotlin/Runtime.kt. DO NOT EDIT.\n${
        source.replace(RUNTIME_PACKAGE, `package ${packageName(ir)}\n`)
      }`
  }]
}
