// The `typescript` target: the spec's tables, names and types, bound to the runtime.
import type { Ir } from "../Ir.js"
import { tsHeader } from "./header.js"
import { jsdoc, literal, union } from "./literal.js"

const constant = (doc: ReadonlyArray<string>, name: string, value: unknown): string =>
  `${jsdoc([...doc, "", "@since 0.1.0", "@category tables"])}\nexport const ${name} = ${literal(value)} as const\n`

const typeAlias = (doc: string, name: string, type: string, category = "models"): string =>
  `${jsdoc([doc, "", "@since 0.1.0", `@category ${category}`])}\nexport type ${name} = ${type}\n`

const binding = (doc: ReadonlyArray<string>, name: string, type: string, category: string): string =>
  `${jsdoc([...doc, "", "@since 0.1.0", `@category ${category}`])}\nexport const ${name}: ${type} = runtime.${name}\n`

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

/** The module; `runtime` is where it imports the runtime from. */
export const emitTypeScript = (ir: Ir, runtime: string): string => {
  const doc = jsdoc([
    `${ir.title}: tables, parse, format, validate and extract, generated from the spec.`,
    "",
    ir.description,
    "",
    "@since 0.1.0"
  ])
  return `${tsHeader(ir)}${doc}
import * as Runtime from ${JSON.stringify(runtime)}

${emitTables(ir)}
const tables = {
  schemes: SCHEMES,
  grammar: GRAMMAR,
  operations: OPERATIONS,
  parameters: PARAMETERS,
  tokenParameter: TOKEN_PARAMETER,
  transports: TRANSPORTS,
  profiles: PROFILES,
  formatStyles: FORMAT_STYLES
}
type Tables = typeof tables
const runtime = Runtime.make(tables)

${typeAlias("The result of every fallible function here: nothing throws.", "Result<A, E>", "Runtime.Result<A, E>")}
${typeAlias("`strict`: the documented grammar; `compat`: what the server reads.", "ParseMode", "Runtime.ParseMode", "parsing")}
${typeAlias("How `parse` and `scan` read a value.", "ParseOptions", "Runtime.ParseOptions", "parsing")}
${typeAlias("A parse failure, with its UTF-16 offset.", "ParseError", "Runtime.ParseError", "parsing")}
${typeAlias("What a parse failure is about.", "ParseErrorCode", "Runtime.ParseErrorCode", "parsing")}
${typeAlias("What `parse` reads.", "ParsedHeader", "Runtime.ParsedHeader<Tables>", "parsing")}
${typeAlias("Every key and value `scan` found, with offsets.", "Scan", "Runtime.Scan<Tables>", "parsing")}
${typeAlias("The style and scheme `format` writes.", "FormatOptions", "Runtime.FormatOptions<Tables>", "formatting")}
${typeAlias("A format failure.", "FormatError", "Runtime.FormatError", "formatting")}
${typeAlias("What `validate` finds.", "ValidationIssue", "Runtime.ValidationIssue", "validation")}
${typeAlias("A request as the server sees it.", "RequestLike", "Runtime.RequestLike", "extraction")}
${typeAlias("The server profile and legacy switch `extract` applies.", "ExtractOptions", "Runtime.ExtractOptions<Tables>", "extraction")}
${typeAlias("What the server would do with a request.", "Extraction", "Runtime.Extraction<Tables>", "extraction")}
${typeAlias("Why a token-carrying value was not the one validated.", "IgnoredReason", "Runtime.IgnoredReason", "extraction")}
${
    binding(
      ["Parses a header value (`<scheme> <parameters>`): `strict` follows the documented grammar, `compat` (the default) reads", "what the server reads."],
      "parse",
      "(value: string, options?: ParseOptions) => Result<ParsedHeader, ParseError>",
      "parsing"
    )
  }
${binding(["The scan behind `parse`: every key and raw value with its offsets."], "scan", "(value: string, options?: ParseOptions) => Result<Scan, ParseError>", "parsing")}
${
    binding(
      ["Writes a header value in a format style (default `canonical`: declared order, quoted, percent-encoded)."],
      "format",
      "(params: Params, options?: FormatOptions) => Result<string, FormatError>",
      "formatting"
    )
  }
${binding(["What the server would object to for this operation."], "validate", "(params: Params, operation: Operation) => ReadonlyArray<ValidationIssue>", "validation")}
${
    binding(
      ["Which token the server would validate and from where, which header gives the client info, and what looks wrong."],
      "extract",
      "(request: RequestLike, options: ExtractOptions) => Extraction",
      "extraction"
    )
  }`
}
