// The `python` target: a package named after the spec, `<snake_name>/`, holding the module
// (`__init__.py`: the spec's tables, names, `Params` and typed functions), the runtime copied
// from runtimes/python (`_runtime.py`), and `py.typed`. The module imports the runtime relatively,
// so the folder works wherever it is put on the import path.
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

const fn = (signature: string, description: ReadonlyArray<string>, body: string): string =>
  `def ${signature}:\n${doc(description, "    ")}\n    return ${body}\n`

const source = (s: { readonly transport: string; readonly gatedByLegacy: boolean }): Py =>
  call("_runtime.Source", { transport: s.transport, gated_by_legacy: s.gatedByLegacy })

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
  const functions = [
    fn(
      "parse(value: str, *, mode: ParseMode = \"compat\", legacy: bool = True) -> Union[ParsedHeader, ParseError]",
      [
        "Parses a header value (`<scheme> <parameters>`).",
        "",
        "`strict` follows the documented grammar and reports the first deviation; `compat` (the default) reads what the",
        "server reads. `legacy=False` refuses the legacy schemes. Failures are returned, never raised."
      ],
      "_RUNTIME.parse(value, mode=mode, legacy=legacy)"
    ),
    fn(
      "scan(value: str, *, mode: ParseMode = \"compat\", legacy: bool = True) -> Union[Scan, ParseError]",
      ["The scan behind `parse`: every key and raw value with its UTF-16 offsets."],
      "_RUNTIME.scan(value, mode=mode, legacy=legacy)"
    ),
    fn(
      "format(params: Params, *, style: FormatStyle = \"canonical\", scheme: Optional[SchemeName] = None) -> Union[str, FormatError]",
      [
        "Writes a header value in a format style (default `canonical`: declared order, quoted, percent-encoded).",
        "",
        "A value that cannot be encoded (a lone surrogate) gives a `FormatError`, never an exception."
      ],
      "_RUNTIME.format(params, style=style, scheme=scheme)"
    ),
    fn(
      "validate(params: Params, operation: Operation) -> Tuple[ValidationIssue, ...]",
      ["What the server would object to for this operation."],
      "_RUNTIME.validate(params, operation)"
    ),
    fn(
      [
        "extract(",
        "    headers: Mapping[str, HeaderValue],",
        "    query: Optional[Mapping[str, HeaderValue]] = None,",
        "    *,",
        "    profile: ProfileName,",
        "    legacy: Optional[bool] = None,",
        ") -> Extraction"
      ].join("\n"),
      [
        "Which token the server would validate and from where, which header gives the client info, which client values",
        "the server takes (from that header and, where the profile reads them, the separate values), and what looks wrong.",
        "",
        "Header and query names are matched ignoring ASCII case; a value sent several times is given as a list.",
        "`legacy` is the profile's legacy switch (default: the profile's default)."
      ],
      "_RUNTIME.extract(headers, query, profile=profile, legacy=legacy)"
    )
  ]
  const empty = [ir.schemes, ir.parameters, ir.transports, ir.profiles, ir.operations, ir.formatStyles].some((l) => l.length === 0)
  const typing = ["Final", "Literal", "Mapping", ...(empty ? ["NoReturn"] : []), "Optional", "Tuple", "TypedDict", "Union"]
  return `# ${headerText(ir)}
${doc([`${ir.title}: tables, parse, format, validate and extract, generated from the spec.`, "", ir.description])}
from typing import ${typing.join(", ")}

from . import _runtime
from ._runtime import EmptySegment, FormatError, HeaderValue, IgnoredReason, KeyPart, ParameterValue, ParseError, ParseMode
from ._runtime import Part, Span, ValidationIssue, ValuePart

__all__ = [
${exported(ir).map((n) => `    ${str(n)},`).join("\n")}
]

${tables.join("\n")}
${types.join("\n")}
${params(ir)}

${results.join("\n")}
_RUNTIME: Final[_runtime.Runtime[SchemeName, Params, TransportName]] = _runtime.Runtime(
    _runtime.Tables(
        schemes=SCHEMES,
        grammar=GRAMMAR,
        operations=OPERATIONS,
        parameters=PARAMETERS,
        token_parameter=TOKEN_PARAMETER,
        transports=TRANSPORTS,${ir.separateValues.length === 0 ? "" : "\n        separate_values=SEPARATE_VALUES,"}
        profiles=PROFILES,
        format_styles=FORMAT_STYLES,
    )
)


${functions.join("\n\n")}`
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
