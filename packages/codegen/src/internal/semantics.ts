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
