// The `go` target: one Go package made of the spec's file (a constant per name, its tables as
// typed vars, the descriptions as doc comments, and `spec`, which binds the tables) and the Go
// runtime copied next to it, which declares the name types and Parse, Format, Validate and
// Extract. The package is named after the spec, lower-cased (`TinyAuth` → `tinyauth`). The output
// is gofmt's own layout: one literal per line and no aligned columns, so there is nothing for
// gofmt to change.
import type { Ir } from "../Ir.js"
import { headerText } from "./header.js"
import type { Language } from "./language.js"

/** The Go package name for a spec: its PascalCase name in lower case. */
export const packageName = (ir: Ir): string => ir.name.toLowerCase()

// Identifiers the runtime declares, which a generated constant must not take.
const runtimeNames = new Set([
  "Scheme", "SchemeName", "SchemeHeaderHidden", "Parameter", "ParameterName", "Transport", "TransportName", "Profile",
  "ProfileName", "Operation", "OperationName", "Style", "StyleName", "ParameterValue"
])

// `prefix` + the name's alphanumeric runs, each capitalised (`X-Emby-Token` → `TransportXEmbyToken`);
// a name that would repeat an earlier one keeps its separators as underscores (`api_key` after
// `ApiKey` → `Transport_api_key`).
const identifiers = (prefix: string, names: ReadonlyArray<string>): ReadonlyArray<string> => {
  const taken = new Set<string>()
  return names.map((name) => {
    const pascal = prefix + name.split(/[^A-Za-z0-9]+/).filter((p) => p !== "").map((p) => p[0]!.toUpperCase() + p.slice(1)).join("")
    let id = pascal
    if (taken.has(id) || runtimeNames.has(id)) id = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`
    for (let n = 2; taken.has(id) || runtimeNames.has(id); n++) id = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}${n}`
    taken.add(id)
    return id
  })
}

// A Go string literal: JSON's escapes are Go's too (no spec string holds a lone surrogate).
const str = (s: string): string => JSON.stringify(s)

const comment = (text: string, indent = ""): string =>
  text.split("\n").map((line) => (line === "" ? `${indent}//` : `${indent}// ${line}`)).join("\n")

const names = (ir: Ir) => {
  const schemes = identifiers("Scheme", ir.schemes.map((s) => s.name))
  const parameters = identifiers("Parameter", ir.parameters.map((p) => p.name))
  const transports = identifiers("Transport", ir.transports.map((t) => t.name))
  const profiles = identifiers("Profile", ir.profiles.map((p) => p.name))
  const operations = identifiers("Operation", ir.operations.map((o) => o.name))
  const styles = identifiers("Style", ir.formatStyles.map((s) => s.name))
  const lookup = (all: ReadonlyArray<{ readonly name: string }>, ids: ReadonlyArray<string>) => (name: string): string =>
    ids[all.findIndex((x) => x.name === name)]!
  return {
    schemes,
    parameters,
    transports,
    profiles,
    operations,
    styles,
    parameter: lookup(ir.parameters, parameters),
    transport: lookup(ir.transports, transports),
    operation: lookup(ir.operations, operations)
  }
}

// One constant of a name type (the runtime declares the types) per name, each documented by its description.
const nameType = (
  type: string,
  entries: ReadonlyArray<{ readonly id: string; readonly name: string; readonly description: string }>
): ReadonlyArray<string> =>
  entries.map((e) => `${comment(`${e.id} is ${str(e.name)}: ${e.description}`)}\nconst ${e.id} ${type} = ${str(e.name)}\n`)

const slice = (type: string, items: ReadonlyArray<string>): string =>
  items.length === 0 ? `[]${type}{}` : `[]${type}{\n${items.map((i) => `\t${i},\n`).join("")}}`

const inlineSlice = (type: string, items: ReadonlyArray<string>): string => `[]${type}{${items.join(", ")}}`

export const emitGo = (ir: Ir): string => {
  const n = names(ir)
  const pkg = packageName(ir)
  const sources = (order: ReadonlyArray<{ readonly transport: string; readonly gatedByLegacy?: boolean }>) =>
    inlineSlice("Source", order.map((s) => `{Transport: ${n.transport(s.transport)}${s.gatedByLegacy === true ? ", GatedByLegacy: true" : ""}}`))
  const g = ir.grammar
  const decls = [
    ...nameType("SchemeName", ir.schemes.map((s, i) => ({ id: n.schemes[i]!, name: s.name, description: s.description }))),
    ...nameType("ParameterName", ir.parameters.map((p, i) => ({
      id: n.parameters[i]!,
      name: p.name,
      description: p.description + (p.secret ? " Secret." : "")
    }))),
    ...nameType("TransportName", ir.transports.map((t, i) => ({ id: n.transports[i]!, name: t.name, description: t.description }))),
    ...nameType("ProfileName", ir.profiles.map((p, i) => ({ id: n.profiles[i]!, name: p.name, description: p.description }))),
    ...nameType("OperationName", ir.operations.map((o, i) => ({ id: n.operations[i]!, name: o.name, description: o.description }))),
    ...nameType("StyleName", ir.formatStyles.map((s, i) => ({ id: n.styles[i]!, name: s.name, description: s.description }))),
    `// Schemes are the schemes, in declared order. Format writes the first non-legacy one.\nvar Schemes = ${
      slice("Scheme", ir.schemes.map((s, i) => `{Name: ${n.schemes[i]}, Legacy: ${s.legacy}, Description: ${str(s.description)}}`))
    }\n`,
    `// Grammar holds the grammar rules that vary between specs.\nvar Grammar = GrammarRules{SchemeMatching: ${str(g.schemeMatching)}, ValueDecoding: ${
      str(g.valueDecoding)
    }, DuplicateKeys: ${str(g.duplicateKeys)}, KeyTrimming: ${str(g.keyTrimming)}, EmptySegment: ${str(g.emptySegment)}, RepeatedValueSeparator: ${
      str(g.repeatedValueSeparator)
    }}\n`,
    `// Operations are the operations Validate knows.\nvar Operations = ${
      slice("Operation", ir.operations.map((o, i) => `{Name: ${n.operations[i]}, Description: ${str(o.description)}}`))
    }\n`,
    `// Parameters are the known parameters, in canonical order.\nvar Parameters = ${
      slice(
        "Parameter",
        ir.parameters.map((p, i) =>
          `{Name: ${n.parameters[i]}, Description: ${str(p.description)}, Secret: ${p.secret}, RequiredFor: ${
            inlineSlice("OperationName", p.requiredFor.map(n.operation))
          }, NonEmpty: ${p.nonEmpty === true}}`
        )
      )
    }\n`,
    `// TokenParameter is the parameter that carries the credential.\nconst TokenParameter = ${n.parameter(ir.tokenParameter)}\n`,
    `// Transports are every place a request can carry the scheme or a token.\nvar Transports = ${
      slice(
        "Transport",
        ir.transports.map((t, i) =>
          `{Name: ${n.transports[i]}, Kind: ${str(t.kind)}, Key: ${str(t.key)}, Carries: ${str(t.carries)}, Deprecated: ${t.deprecated}, Discouraged: ${t.discouraged}, ${
            t.replacement === undefined ? "" : `Replacement: ${n.transport(t.replacement)}, `
          }Description: ${str(t.description)}}`
        )
      )
    }\n`,
    `// SeparateValues are the parameters that can also travel on their own, as a header or query parameter.\nvar SeparateValues = ${
      slice(
        "SeparateValue",
        ir.separateValues.map((v) =>
          `{Parameter: ${n.parameter(v.parameter)}, ${v.header === undefined ? "" : `Header: ${str(v.header)}, `}${
            v.query === undefined ? "" : `Query: ${str(v.query)}, `
          }HeaderEncoding: ${str(v.headerEncoding)}, Description: ${str(v.description)}}`
        )
      )
    }\n`,
    `// Profiles say how each server chooses the scheme header and the token.\nvar Profiles = ${
      slice(
        "Profile",
        ir.profiles.map((p, i) =>
          `{Name: ${n.profiles[i]}, Description: ${str(p.description)}, HasLegacySwitch: ${p.legacyDefault !== null}, LegacyDefault: ${
            p.legacyDefault === true
          }, WarnDeprecated: ${p.warnDeprecated}, SchemeHeaderOrder: ${sources(p.schemeHeaderOrder)}, TokenOrder: ${sources(p.tokenOrder)}${
            p.separateValues === undefined
              ? ""
              : `, SeparateValues: &SeparateValueReading{Read: ${inlineSlice("string", p.separateValues.read.map(str))}, Precedence: ${
                str(p.separateValues.precedence)
              }}`
          }}`
        )
      )
    }\n`,
    `// Styles are the output styles of Format.\nvar Styles = ${
      slice(
        "Style",
        ir.formatStyles.map((s, i) =>
          `{Name: ${n.styles[i]}, Description: ${str(s.description)}, Order: ${inlineSlice("ParameterName", s.order.map(n.parameter))}, Absent: ${
            str(s.absent)
          }, Separator: ${str(s.separator)}}`
        )
      )
    }\n`,
    `// spec binds the tables to the runtime's Parse, Format, Validate and Extract.
var spec = tables{schemes: Schemes, grammar: Grammar, operations: Operations, parameters: Parameters, tokenParameter: TokenParameter, transports: Transports, separateValues: SeparateValues, profiles: Profiles, styles: Styles}
`
  ]
  return `// ${headerText(ir)}

${comment(`Package ${pkg} is generated from the spec ${str(ir.title)}: its tables, Parse, Format, Validate and Extract.\n\n${ir.description}`)}
package ${pkg}

${decls.join("\n")}`
}

export const language: Language = {
  fileName: (ir) => `${packageName(ir)}.go`,
  emit: emitGo,
  runtime: [{
    path: () => "runtime.go",
    source: "go/runtime.go",
    render: (source, ir) =>
      `// Code generated by @mbauth/codegen from its Go runtime. DO NOT EDIT.\n\n${source.replace(/^package \w+$/m, `package ${packageName(ir)}`)}`
  }]
}
