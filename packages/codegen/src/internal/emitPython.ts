// The `python` target: a package named after the spec, `<snake_name>/`, holding the module
// (`__init__.py`: the spec's tables, names and `Params`, and the runtime's operations bound to
// them), the runtime copied from runtimes/python (`_runtime.py`), and `py.typed`. The module
// imports the runtime relatively, so the folder works wherever it is put on the import path.
import type { Ir } from "../Ir.js"
import { headerText } from "./header.js"
import type { Language } from "./language.js"

// Python's reserved words: a spec name may spell one.
const keywords = new Set(
  ("False None True and as assert async await break class continue def del elif else except finally for from global if " +
    "import in is lambda nonlocal not or pass raise return try while with yield").split(" ")
)

/** The package name: the spec's PascalCase name in snake case. */
export const packageName = (ir: Ir): string => {
  const snake = ir.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase()
  return keywords.has(snake) ? `${snake}_` : snake
}

// A Python string literal (JSON's escapes are Python's too).
const str = (s: string): string => JSON.stringify(s)

type Py = { readonly call: string; readonly args: ReadonlyArray<readonly [string, Py]> } | ReadonlyArray<Py> | string | boolean | null

const call = (name: string, args: Record<string, Py | undefined>): Py => ({
  call: name,
  args: Object.entries(args).filter((e): e is [string, Py] => e[1] !== undefined)
})

// Prints a value as Python source at a column of `indent.length`, inline when it fits in 120.
const print = (value: Py, indent = ""): string => {
  if (value === null) return "None"
  if (typeof value === "boolean") return value ? "True" : "False"
  if (typeof value === "string") return str(value)
  const inner = indent + "    "
  const [open, items, close] = Array.isArray(value)
    ? ["(", value.map((v) => print(v, inner)), value.length === 1 ? ",)" : ")"]
    : [`${(value as { call: string }).call}(`, (value as { args: ReadonlyArray<readonly [string, Py]> }).args.map(([k, v]) => `${k}=${print(v, inner)}`), ")"]
  const inline = `${open}${items.join(", ")}${close}`
  if (!inline.includes("\n") && indent.length + inline.length <= 120) return inline
  return `${open}\n${items.map((i) => `${inner}${i},`).join("\n")}\n${indent})`
}

const names = (list: ReadonlyArray<string>): string =>
  list.length === 0 ? "NoReturn" : `Literal[${list.map(str).join(", ")}]`

// A docstring's text: no `"""` inside, no `"` at the end, backslashes kept.
const docText = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"""/g, "\\\"\\\"\\\"").replace(/"$/, "\\\"")

const doc = (lines: ReadonlyArray<string>, indent = ""): string =>
  lines.length === 1
    ? `${indent}"""${docText(lines[0]!)}"""`
    : `${indent}"""${lines.map((l, i) => (i === 0 || l === "" ? docText(l) : indent + docText(l))).join("\n")}\n${indent}"""`

const constant = (name: string, value: Py, description: string): string =>
  `${name}: Final = ${print(value)}\n${doc([description])}\n`

const alias = (name: string, type: string, description: string): string => `${name} = ${type}\n${doc([description])}\n`

const source = (s: { readonly transport: string; readonly gatedByLegacy: boolean }): Py =>
  call("_runtime.Source", { transport: s.transport, gated_by_legacy: s.gatedByLegacy ? true : undefined })

const params = (ir: Ir): string => {
  const description = "The known parameters. Absent = not in the dict. Values are the decoded strings."
  const fieldDoc = (p: Ir["parameters"][number]) => p.description + (p.secret ? " Secret." : "")
  if (ir.parameters.some((p) => keywords.has(p.name))) {
    // A reserved word cannot be a class attribute: the functional form takes any key.
    const fields = ir.parameters.map((p) => `${p.name}: ${fieldDoc(p)}`)
    const dict = ir.parameters.map((p) => `${str(p.name)}: str`).join(", ")
    return `\nParams = TypedDict("Params", {${dict}}, total=False)\n${doc([description, "", ...fields])}\n`
  }
  const fields = ir.parameters.map((p) => `    ${p.name}: str\n${doc([fieldDoc(p)], "    ")}`)
  return `\nclass Params(TypedDict, total=False):\n${doc([description], "    ")}\n\n${fields.join("\n")}\n`
}

// Items separated by ", ", as many on a line as fit in 120 columns, each line ending with ",".
const wrap = (items: ReadonlyArray<string>, indent: string): string => {
  const lines: Array<string> = []
  for (const item of items) {
    const last = lines.length - 1
    if (last >= 0 && `${lines[last]} ${item},`.length <= 120) lines[last] = `${lines[last]} ${item},`
    else lines.push(`${indent}${item},`)
  }
  return lines.join("\n")
}

const exported = (ir: Ir) => [
  "SCHEMES", "GRAMMAR", "OPERATIONS", "PARAMETERS", "TOKEN_PARAMETER", "TRANSPORTS",
  ...(ir.separateValues.length === 0 ? [] : ["SEPARATE_VALUES"]), "PROFILES", "FORMAT_STYLES",
  "SchemeName", "ParameterName", "TransportName", "ProfileName", "Operation", "FormatStyle", "Params",
  "ParseMode", "ParseError", "ParsedHeader", "Scan", "Part", "KeyPart", "ValuePart", "EmptySegment", "Span",
  "FormatError", "ValidationIssue", "HeaderValue", "Extraction", "IgnoredReason", "ParameterValue",
  "parse", "scan", "format", "validate", "extract"
]

/** The module (`__init__.py`). */
export const emitPython = (ir: Ir): string => {
  const tables = [
    constant("SCHEMES", ir.schemes.map((s) => call("_runtime.Scheme", s)), "The schemes, in declared order. `format` writes the first non-legacy one."),
    constant(
      "GRAMMAR",
      call("_runtime.Grammar", {
        scheme_matching: ir.grammar.schemeMatching,
        value_decoding: ir.grammar.valueDecoding,
        duplicate_keys: ir.grammar.duplicateKeys,
        key_trimming: ir.grammar.keyTrimming,
        empty_segment: ir.grammar.emptySegment,
        repeated_value_separator: ir.grammar.repeatedValueSeparator
      }),
      "The grammar rules that vary between specs (the others are the runtime's)."
    ),
    constant("OPERATIONS", ir.operations.map((o) => call("_runtime.Operation", o)), "The operations `validate` knows."),
    constant(
      "PARAMETERS",
      ir.parameters.map((p) =>
        call("_runtime.Parameter", {
          name: p.name,
          description: p.description,
          secret: p.secret,
          required_for: p.requiredFor,
          non_empty: p.nonEmpty
        })
      ),
      "The known parameters, in canonical order."
    ),
    constant("TOKEN_PARAMETER", ir.tokenParameter, "The parameter that carries the credential."),
    constant(
      "TRANSPORTS",
      ir.transports.map((t) =>
        call("_runtime.Transport", {
          name: t.name,
          kind: t.kind,
          key: t.key,
          carries: t.carries,
          deprecated: t.deprecated,
          discouraged: t.discouraged,
          description: t.description,
          replacement: t.replacement
        })
      ),
      "Every place a request can carry the scheme or a token."
    ),
    ...(ir.separateValues.length === 0
      ? []
      : [
        constant(
          "SEPARATE_VALUES",
          ir.separateValues.map((v) =>
            call("_runtime.SeparateValue", {
              parameter: v.parameter,
              header: v.header,
              query: v.query,
              header_encoding: v.headerEncoding,
              description: v.description
            })
          ),
          "The parameters that can also travel on their own, as a header or query parameter."
        )
      ]),
    constant(
      "PROFILES",
      ir.profiles.map((p) =>
        call("_runtime.Profile", {
          name: p.name,
          description: p.description,
          legacy_default: p.legacyDefault,
          warn_deprecated: p.warnDeprecated,
          scheme_header_order: p.schemeHeaderOrder.map(source),
          token_order: p.tokenOrder.map(source),
          separate_values: p.separateValues === undefined
            ? undefined
            : call("_runtime.SeparateValueReading", { read: p.separateValues.read, precedence: p.separateValues.precedence })
        })
      ),
      "How each server chooses the scheme header and the token."
    ),
    constant(
      "FORMAT_STYLES",
      ir.formatStyles.map((s) =>
        call("_runtime.FormatStyle", { name: s.name, description: s.description, order: s.order, absent: s.absent, separator: s.separator })
      ),
      "The output styles of `format`."
    )
  ]
  const types = [
    alias("SchemeName", names(ir.schemes.map((s) => s.name)), "A scheme name."),
    alias("ParameterName", names(ir.parameters.map((p) => p.name)), "A parameter name."),
    alias("TransportName", names(ir.transports.map((t) => t.name)), "A transport name."),
    alias("ProfileName", names(ir.profiles.map((p) => p.name)), "A server profile name."),
    alias("Operation", names(ir.operations.map((o) => o.name)), "An operation name."),
    alias("FormatStyle", names(ir.formatStyles.map((s) => s.name)), "A format style name.")
  ]
  const results = [
    alias("ParsedHeader", "_runtime.ParsedHeader[SchemeName, Params]", "What `parse` reads: the scheme, the known parameters and the server's dictionary."),
    alias("Scan", "_runtime.Scan[SchemeName]", "Every key and value `scan` found, with UTF-16 offsets."),
    alias("Extraction", "_runtime.Extraction[SchemeName, Params, TransportName]", "What the server would do with a request.")
  ]
  const empty = [ir.schemes, ir.parameters, ir.transports, ir.profiles, ir.operations, ir.formatStyles].some((l) => l.length === 0)
  const typing = ["Final", "Literal", ...(empty ? ["NoReturn"] : []), "TypedDict"]
  const tableNames = ["SCHEMES", "GRAMMAR", "OPERATIONS", "PARAMETERS", "TOKEN_PARAMETER", "TRANSPORTS"]
    .concat(ir.separateValues.length === 0 ? [] : ["SEPARATE_VALUES"], ["PROFILES", "FORMAT_STYLES"])
  return `# ${headerText(ir)}
${doc([`${ir.title}: tables, parse, format, validate and extract, generated from the spec.`, "", ir.description])}
from typing import ${typing.join(", ")}

from . import _runtime
from ._runtime import EmptySegment, FormatError, HeaderValue, IgnoredReason, KeyPart, ParameterValue, ParseError, ParseMode
from ._runtime import Part, Span, ValidationIssue, ValuePart

__all__ = [
${wrap(exported(ir).map(str), "    ")}
]

${tables.join("\n")}
${types.join("\n")}
${params(ir)}

${results.join("\n")}
_RUNTIME: Final = _runtime.Runtime[SchemeName, Params, TransportName, ProfileName, Operation, FormatStyle](
    _runtime.Tables(
${wrap(tableNames.map((n) => `${n.toLowerCase()}=${n}`), "        ")}
    )
)

# The operations, typed by the spec's names; their docs are the runtime's.
parse: Final = _RUNTIME.parse
scan: Final = _RUNTIME.scan
format: Final = _RUNTIME.format
validate: Final = _RUNTIME.validate
extract: Final = _RUNTIME.extract
`
}

export const language: Language = {
  fileName: (ir) => `${packageName(ir)}/__init__.py`,
  emit: emitPython,
  runtime: [
    {
      path: (ir) => `${packageName(ir)}/_runtime.py`,
      source: "python/runtime.py",
      render: (text) => `# Copied by @mbauth/codegen from its python runtime. DO NOT EDIT.\n${text}`
    },
    { path: (ir) => `${packageName(ir)}/py.typed`, render: () => "" }
  ]
}
