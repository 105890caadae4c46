// The `typescript` target: the spec's tables, names and types, bound to the runtime.
import type { Ir } from "../Ir.js"
import { tsHeader } from "./header.js"
import { jsdoc, literal, union } from "./literal.js"

const constant = (doc: ReadonlyArray<string>, name: string, value: unknown): string =>
  `${jsdoc([...doc, "", "@since 0.1.0", "@category tables"])}\nexport const ${name} = ${literal(value)} as const\n`

const typeAlias = (doc: string, name: string, type: string): string =>
  `${jsdoc([doc, "", "@since 0.1.0", "@category models"])}\nexport type ${name} = ${type}\n`

/** The tables, the name unions and `Params`, from the IR. */
export const emitTables = (ir: Ir): string => {
  const params = ir.parameters.map((p) =>
    `  /** ${(p.description + (p.secret ? " Secret." : "")).replace(/\*\//g, "*\\/")} */\n  readonly ${p.name}?: string`
  )
  return [
    constant(["The schemes, in declared order. `format` writes the first non-legacy one."], "SCHEMES", ir.schemes),
    constant(["The grammar rules that vary between specs (the others are the runtime's: see the reference page)."], "GRAMMAR", {
      schemeMatching: ir.grammar.schemeMatching,
      valueDecoding: ir.grammar.valueDecoding,
      duplicateKeys: ir.grammar.duplicateKeys,
      keyTrimming: ir.grammar.keyTrimming,
      emptySegment: ir.grammar.emptySegment,
      repeatedValueSeparator: ir.grammar.repeatedValueSeparator
    }),
    constant(["The operations `validate` knows."], "OPERATIONS", ir.operations),
    constant(["The known parameters, in canonical order."], "PARAMETERS", ir.parameters),
    constant(["The parameter that carries the credential."], "TOKEN_PARAMETER", ir.tokenParameter),
    constant(["Every place a request can carry the scheme or a token."], "TRANSPORTS", ir.transports),
    ...(ir.separateValues.length === 0
      ? []
      : [constant(["The parameters that can also travel on their own, as a header or query parameter."], "SEPARATE_VALUES", ir.separateValues)]),
    constant(["How each server chooses the scheme header and the token."], "PROFILES", ir.profiles),
    constant(["The output styles of `format`."], "FORMAT_STYLES", ir.formatStyles),
    typeAlias("A scheme name.", "SchemeName", union(ir.schemes.map((s) => s.name))),
    typeAlias("A parameter name.", "ParameterName", union(ir.parameters.map((p) => p.name))),
    typeAlias("A transport name.", "TransportName", union(ir.transports.map((t) => t.name))),
    typeAlias(
      "The transports that carry a whole scheme value.",
      "SchemeHeaderName",
      union(ir.transports.filter((t) => t.carries === "scheme").map((t) => t.name))
    ),
    typeAlias("A server profile name.", "ProfileName", union(ir.profiles.map((p) => p.name))),
    typeAlias("An operation name.", "Operation", union(ir.operations.map((o) => o.name))),
    typeAlias("A format style name.", "FormatStyle", union(ir.formatStyles.map((s) => s.name))),
    `${
      jsdoc(["The known parameters. Absent = undefined. Values are the decoded strings.", "", "@since 0.1.0", "@category models"])
    }\nexport interface Params {\n${params.join("\n")}\n}\n`
  ].join("\n")
}

// The runtime's types that do not depend on the tables, re-exported under the module's name.
const plainTypes = [
  "FormatError",
  "IgnoredReason",
  "ParseError",
  "ParseErrorCode",
  "ParseMode",
  "ParseOptions",
  "RequestLike",
  "Result",
  "ValidationIssue"
]

// The runtime's types that do, bound to the tables.
const boundTypes = ["ParsedHeader", "Scan", "FormatOptions", "ExtractOptions", "Extraction", "ParameterValue"]

/** The module; `runtime` is where it imports the runtime from. */
export const emitTypeScript = (ir: Ir, runtime: string): string => {
  const doc = jsdoc([
    `${ir.title}: tables, parse, format, validate and extract, generated from the spec.`,
    "",
    ir.description,
    "",
    "@since 0.1.0"
  ])
  const binding = jsdoc([
    "The runtime bound to this spec's tables. `@mbauth/runtime` documents the functions (its `Runtime`",
    "interface) and the types below, once for every generated module.",
    "",
    "@since 0.1.0",
    "@category bindings"
  ])
  return `${tsHeader(ir)}${doc}
import * as Runtime from ${JSON.stringify(runtime)}

${emitTables(ir)}
const tables = {
  schemes: SCHEMES, grammar: GRAMMAR, operations: OPERATIONS, parameters: PARAMETERS, tokenParameter: TOKEN_PARAMETER,
  transports: TRANSPORTS, ${ir.separateValues.length === 0 ? "" : "separateValues: SEPARATE_VALUES, "}profiles: PROFILES, formatStyles: FORMAT_STYLES
}
// An interface, so that declarations name the tables instead of spelling them out.
type TablesLiteral = typeof tables
interface Tables extends TablesLiteral {}

${binding}
export const { parse, scan, format, validate, extract } = Runtime.make<Tables>(tables)
export type { ${plainTypes.join(", ")} } from ${JSON.stringify(runtime)}
${boundTypes.map((name) => `export type ${name} = Runtime.${name}<Tables>`).join("\n")}
`
}
