// The `typescript` target: the template with its tables region replaced by the spec's tables.
import type { Ir } from "../Ir.js"
import { tsHeader } from "./header.js"
import { jsdoc, literal, union } from "./literal.js"

const PREAMBLE_END = "// @codegen-template-preamble-end\n"
const TABLES_BEGIN = "// @codegen-tables-begin\n"
const TABLES_END = "// @codegen-tables-end\n"

/** The template's parts around the tables region, or a description of what is wrong with it. */
export const splitTemplate = (template: string): { readonly after: string } | string => {
  const preamble = template.indexOf(PREAMBLE_END)
  const begin = template.indexOf(TABLES_BEGIN)
  const end = template.indexOf(TABLES_END)
  if (preamble < 0 || begin !== preamble + PREAMBLE_END.length || end < begin) {
    return "the runtime template lacks its @codegen markers (preamble end, then tables begin and end)"
  }
  return { after: template.slice(end + TABLES_END.length) }
}

const constant = (doc: ReadonlyArray<string>, name: string, value: unknown): string =>
  `${jsdoc([...doc, "", "@since 0.1.0", "@category tables"])}\nexport const ${name} = ${literal(value)} as const\n`

const typeAlias = (doc: ReadonlyArray<string>, name: string, names: ReadonlyArray<string>): string =>
  `${jsdoc([...doc, "", "@since 0.1.0", "@category models"])}\nexport type ${name} = ${union(names)}\n`

/** The tables region: every table and name type, from the IR. */
export const emitTables = (ir: Ir): string => {
  const params = ir.parameters.map((p) =>
    `${jsdoc([p.description + (p.secret ? " Secret." : "")], "  ")}\n  readonly ${p.name}?: string`
  )
  return [
    constant(["The schemes, in declared order. `format` writes the first non-legacy one."], "SCHEMES", ir.schemes),
    constant(["The grammar rules the parsers follow."], "GRAMMAR", ir.grammar),
    constant(["The operations `validate` knows."], "OPERATIONS", ir.operations),
    constant(["The known parameters, in canonical order."], "PARAMETERS", ir.parameters),
    constant(["The parameter that carries the credential."], "TOKEN_PARAMETER", ir.tokenParameter),
    constant(["Every place a request can carry the scheme or a token."], "TRANSPORTS", ir.transports),
    constant(["How each server chooses the scheme header and the token."], "PROFILES", ir.profiles),
    constant(["The output styles of `format`."], "FORMAT_STYLES", ir.formatStyles),
    typeAlias(["A scheme name."], "SchemeName", ir.schemes.map((s) => s.name)),
    typeAlias(["A parameter name."], "ParameterName", ir.parameters.map((p) => p.name)),
    typeAlias(["A transport name."], "TransportName", ir.transports.map((t) => t.name)),
    typeAlias(["A server profile name."], "ProfileName", ir.profiles.map((p) => p.name)),
    typeAlias(["An operation name."], "Operation", ir.operations.map((o) => o.name)),
    typeAlias(["A format style name."], "FormatStyle", ir.formatStyles.map((s) => s.name)),
    typeAlias(
      ["The transports that carry a whole scheme value."],
      "SchemeHeaderName",
      ir.transports.filter((t) => t.carries === "scheme").map((t) => t.name)
    ),
    `${
      jsdoc(["The known parameters. Absent = undefined. Values are the decoded strings.", "", "@since 0.1.0", "@category models"])
    }\nexport interface Params {\n${params.join("\n")}\n}\n`
  ].join("\n")
}

/** The zero-dependency module. */
export const emitTypeScript = (ir: Ir, after: string): string => {
  const doc = jsdoc([
    `${ir.title}: tables, parse, format, validate and extract, generated from the spec.`,
    "",
    ir.description,
    "",
    "No imports, erasable TypeScript only, nothing throws. Regenerate instead of editing.",
    "",
    "@since 0.1.0"
  ])
  return `${tsHeader(ir)}${doc}\n\n${emitTables(ir)}${after}`
}
