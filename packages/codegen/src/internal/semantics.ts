// The checks that run after the schema: names must be valid and must refer to each other.
import type { Spec } from "../Spec.js"
import { jsonPath, type SpecIssue } from "../SpecError.js"

const pascalCase = /^[A-Z][A-Za-z0-9]*$/
const alphanumeric = /^[A-Za-z0-9]+$/
const identifier = /^[A-Za-z][A-Za-z0-9]*$/
// RFC 9110 token characters: what a header name may contain.
const headerToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Every semantic problem in a decoded spec, in document order. */
export const semanticIssues = (spec: Spec): ReadonlyArray<SpecIssue> => {
  const issues: Array<SpecIssue> = []
  const add = (path: ReadonlyArray<PropertyKey>, message: string) => issues.push({ path: jsonPath(path), message })
  const unique = <A>(items: ReadonlyArray<A>, name: (a: A) => string, at: string, what: string, fold = false) => {
    const seen = new Map<string, number>()
    items.forEach((item, i) => {
      const key = fold ? name(item).toLowerCase() : name(item)
      const first = seen.get(key)
      if (first !== undefined) add([at, i, "name"], `${what} "${name(item)}" is already declared at ${jsonPath([at, first])}.`)
      else seen.set(key, i)
    })
  }

  if (!pascalCase.test(spec.name)) {
    add(["name"], `The module name "${spec.name}" must be a PascalCase identifier (letters and digits, first an upper-case letter).`)
  }

  if (spec.schemes.length === 0) add(["schemes"], "At least one scheme is needed.")
  spec.schemes.forEach((s, i) => {
    if (!alphanumeric.test(s.name)) add(["schemes", i, "name"], `The scheme name "${s.name}" must be ASCII letters and digits only.`)
  })
  unique(spec.schemes, (s) => s.name, "schemes", "The scheme", spec.grammar.schemeMatching === "case-insensitive")
  if (spec.schemes.length > 0 && spec.schemes.every((s) => s.legacy)) {
    add(["schemes"], "At least one scheme must not be legacy-gated, or nothing could be formatted or parsed with legacy off.")
  }

  if (spec.operations.length === 0) add(["operations"], "At least one operation is needed.")
  unique(spec.operations, (o) => o.name, "operations", "The operation")
  const operations = new Set(spec.operations.map((o) => o.name))

  if (spec.parameters.length === 0) add(["parameters"], "At least one parameter is needed.")
  spec.parameters.forEach((p, i) => {
    if (!identifier.test(p.name)) {
      add(["parameters", i, "name"], `The parameter name "${p.name}" must be ASCII letters and digits, starting with a letter.`)
    }
    p.requiredFor.forEach((op, j) => {
      if (!operations.has(op)) add(["parameters", i, "requiredFor", j], `"${op}" is not a declared operation.`)
    })
  })
  unique(spec.parameters, (p) => p.name, "parameters", "The parameter")
  const parameters = new Set(spec.parameters.map((p) => p.name))
  if (!parameters.has(spec.tokenParameter)) {
    add(["tokenParameter"], `The token parameter "${spec.tokenParameter}" is not a declared parameter.`)
  }

  unique(spec.transports, (t) => t.name, "transports", "The transport")
  const transports = new Map(spec.transports.map((t) => [t.name, t]))
  spec.transports.forEach((t, i) => {
    if (t.name === "") add(["transports", i, "name"], "A transport needs a name.")
    if (t.kind === "header" && !headerToken.test(t.key)) {
      add(["transports", i, "key"], `"${t.key}" is not a valid header name.`)
    }
    if (t.kind === "query" && t.key === "") add(["transports", i, "key"], "A query parameter needs a name.")
    if (t.deprecated && t.replacement === undefined) {
      add(["transports", i], `The transport "${t.name}" is deprecated, so it must name its replacement.`)
    }
    if (t.replacement !== undefined) {
      const r = transports.get(t.replacement)
      if (r === undefined) add(["transports", i, "replacement"], `"${t.replacement}" is not a declared transport.`)
      else if (r.name === t.name) add(["transports", i, "replacement"], "A transport cannot replace itself.")
      else if (r.deprecated) add(["transports", i, "replacement"], `The replacement "${r.name}" is itself deprecated.`)
    }
  })

  const separateValues = spec.separateValues ?? []
  const separateNames = { header: new Map<string, number>(), query: new Map<string, number>() }
  const transportKeys = { header: new Set<string>(), query: new Set<string>() }
  for (const t of spec.transports) transportKeys[t.kind].add(t.key.toLowerCase())
  separateValues.forEach((v, i) => {
    const first = separateValues.findIndex((w) => w.parameter === v.parameter)
    if (first < i) add(["separateValues", i, "parameter"], `"${v.parameter}" already has a separate value at ${jsonPath(["separateValues", first])}.`)
    if (!parameters.has(v.parameter)) add(["separateValues", i, "parameter"], `"${v.parameter}" is not a declared parameter.`)
    else if (v.parameter === spec.tokenParameter) {
      add(["separateValues", i, "parameter"], `The token parameter "${v.parameter}" travels in transports (kind "token"), not as a separate value.`)
    }
    if (v.header === undefined && v.query === undefined) add(["separateValues", i], "A separate value needs a header, a query name or both.")
    for (const kind of ["header", "query"] as const) {
      const name = v[kind]
      if (name === undefined) continue
      if (kind === "header" && !headerToken.test(name)) add(["separateValues", i, kind], `"${name}" is not a valid header name.`)
      if (name === "") add(["separateValues", i, kind], "A query parameter needs a name.")
      const first = separateNames[kind].get(name.toLowerCase())
      if (first !== undefined) add(["separateValues", i, kind], `The ${kind} "${name}" is already used at ${jsonPath(["separateValues", first, kind])}.`)
      else separateNames[kind].set(name.toLowerCase(), i)
      if (transportKeys[kind].has(name.toLowerCase())) {
        add(["separateValues", i, kind], `The ${kind} "${name}" is already a transport's key.`)
      }
    }
    if (v.headerEncoding !== undefined && v.header === undefined) {
      add(["separateValues", i, "headerEncoding"], "There is no header to encode (header is absent).")
    }
  })

  unique(spec.profiles, (p) => p.name, "profiles", "The profile")
  spec.profiles.forEach((p, i) => {
    const sources = (field: "schemeHeaderOrder" | "tokenOrder") => {
      const seen = new Set<string>()
      p[field].forEach((s, j) => {
        const t = transports.get(s.transport)
        if (t === undefined) add(["profiles", i, field, j, "transport"], `"${s.transport}" is not a declared transport.`)
        else if (field === "schemeHeaderOrder" && t.carries !== "scheme") {
          add(["profiles", i, field, j, "transport"], `"${s.transport}" carries a bare token, not a scheme header.`)
        }
        if (seen.has(s.transport)) add(["profiles", i, field, j, "transport"], `"${s.transport}" is listed twice.`)
        seen.add(s.transport)
        if (s.gatedByLegacy && p.legacyDefault === null) {
          add(["profiles", i, field, j, "gatedByLegacy"], `The profile "${p.name}" has no legacy switch (legacyDefault is null), so nothing in it can be gated.`)
        }
      })
    }
    sources("schemeHeaderOrder")
    sources("tokenOrder")
    if (p.separateValues !== undefined) {
      const reading = p.separateValues
      if (reading.read.length === 0) add(["profiles", i, "separateValues", "read"], "Name where separate values are read (header, query), or leave separateValues out.")
      reading.read.forEach((kind, j) => {
        if (reading.read.indexOf(kind) !== j) add(["profiles", i, "separateValues", "read", j], `"${kind}" is listed twice.`)
        else if (!separateValues.some((v) => v[kind] !== undefined)) {
          add(["profiles", i, "separateValues", "read", j], `No separate value travels in a ${kind} (see $.separateValues).`)
        }
      })
    }
    p.tokenOrder.forEach((s, j) => {
      const t = transports.get(s.transport)
      if (t?.carries === "scheme" && !p.schemeHeaderOrder.some((h) => h.transport === s.transport)) {
        add(["profiles", i, "tokenOrder", j, "transport"], `"${s.transport}" is a scheme header that this profile never reads (it is not in schemeHeaderOrder).`)
      }
    })
  })

  unique(spec.formatStyles, (s) => s.name, "formatStyles", "The format style")
  const canonical = spec.formatStyles.findIndex((s) => s.name === "canonical")
  if (canonical < 0) add(["formatStyles"], "A format style named \"canonical\" is required.")
  else if (spec.formatStyles[canonical]!.absent !== "omit") {
    add(["formatStyles", canonical, "absent"], "The canonical style must omit absent parameters, so that parsing its output gives the same parameters back.")
  }
  spec.formatStyles.forEach((s, i) => {
    if (s.order === "declared") return
    const seen = new Set<string>()
    s.order.forEach((name, j) => {
      if (!parameters.has(name)) add(["formatStyles", i, "order", j], `"${name}" is not a declared parameter.`)
      if (seen.has(name)) add(["formatStyles", i, "order", j], `"${name}" is listed twice.`)
      seen.add(name)
    })
  })
  return issues
}
