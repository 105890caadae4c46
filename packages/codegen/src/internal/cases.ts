// The generator's own test cases, built from a spec's names: the §3 quirks of the reference notes
// rewritten for any scheme, plus format, validate and extract cases. The vectors target runs them
// through the runtime bound to the spec's tables.
import type { Ir } from "../Ir.js"
import type { HeaderValue } from "@mbauth/runtime"

export interface ParseCase {
  readonly description: string
  readonly input: string
}

export interface FormatCase {
  readonly description: string
  readonly params: Readonly<Record<string, string>>
}

export interface ExtractCase {
  readonly description: string
  readonly request: {
    readonly headers: Readonly<Record<string, HeaderValue>>
    readonly query?: Readonly<Record<string, HeaderValue>>
  }
}

const names = (ir: Ir) => {
  const scheme = (ir.schemes.find((s) => !s.legacy) ?? ir.schemes[0]!).name
  const legacy = ir.schemes.find((s) => s.legacy)?.name
  const token = ir.tokenParameter
  const others = ir.parameters.map((p) => p.name).filter((n) => n !== token)
  const p = others[0] ?? token
  const q = others[1] ?? p
  return { scheme, legacy, token, p, q }
}

export const parseCases = (ir: Ir): ReadonlyArray<ParseCase> => {
  const { legacy, p, scheme: s, token: t } = names(ir)
  const cases: Array<ParseCase> = [
    { description: "the canonical form", input: `${s} ${t}="abc"` },
    { description: "scheme in lower case", input: `${s.toLowerCase()} ${t}="abc"` },
    { description: "scheme in upper case", input: `${s.toUpperCase()} ${t}="abc"` },
    { description: "no space after the scheme", input: s },
    { description: "empty", input: "" },
    { description: "leading space: the scheme is empty", input: ` ${s} ${t}="abc"` },
    { description: "a tab is not the separator", input: `${s}\t${t}="abc"` },
    { description: "another scheme", input: `Bearer abc` },
    { description: "no parameters", input: `${s} ` },
    { description: "extra spaces after the scheme", input: `${s}   ${t}="abc"` },
    { description: "unquoted values", input: `${s} ${t}=abc, ${p}=x` },
    { description: "keys are case-sensitive", input: `${s} ${t.toLowerCase()}="a", ${t}="b"` },
    { description: "keys are trimmed of U+0085 and U+00A0", input: `${s} \u0085${t}\u00a0="a"` },
    { description: "U+FEFF is not trimmed from keys", input: `${s} \ufeff${t}="a"` },
    { description: "a segment without = goes under the empty key", input: `${s} abc` },
    { description: "duplicate keys", input: `${s} ${t}="a", ${t}="b"` },
    { description: "a duplicate that is empty", input: `${s} ${t}="a", ${t}=""` },
    { description: "a space in an unquoted value", input: `${s} ${p}=a b` },
    { description: "a raw comma in an unquoted value", input: `${s} ${p}=a,b` },
    { description: "a raw = in an unquoted value (base64 padding)", input: `${s} ${t}=YWJj==` },
    { description: "a space after =", input: `${s} ${t}= "abc"` },
    { description: "a space before the comma", input: `${s} ${t}="abc" , ${p}="x"` },
    { description: "a backslash-escaped quote", input: `${s} ${p}="a\\"b", ${t}="abc"` },
    { description: "repeated quotes at the edges", input: `${s} ${t}="""abc"""` },
    { description: "an empty quoted value", input: `${s} ${p}=""` },
    { description: "an empty unquoted value", input: `${s} ${p}=,` },
    { description: "the pending key survives an empty value", input: `${s} ${t}=,abc` },
    { description: "an unterminated quote", input: `${s} ${t}="abc` },
    { description: "plus, an escape and a broken escape", input: `${s} ${p}="a+b%41%4"` },
    { description: "percent-encoded UTF-8", input: `${s} ${p}="%C3%A9%F0%9F%93%BA"` },
    { description: "a truncated UTF-8 sequence", input: `${s} ${p}="%C3"` },
    { description: "invalid UTF-8 (maximal subparts)", input: `${s} ${p}="%F0%28%8C%BC"` },
    { description: "an encoded NUL", input: `${s} ${p}="%00"` },
    { description: "encoded quotes at the edges", input: `${s} ${p}="%22abc%22"` },
    { description: "raw non-ASCII", input: `${s} ${p}="é 📺"` },
    { description: "a missing comma", input: `${s} ${t}="a" ${p}="b"` },
    { description: "a trailing comma", input: `${s} ${t}="a",` }
  ]
  if (legacy !== undefined) cases.push({ description: "the legacy scheme", input: `${legacy} ${t}="a"` })
  for (const example of ir.examples) cases.push({ description: example.description, input: example.header })
  return cases
}

export const formatCases = (ir: Ir): ReadonlyArray<FormatCase> => {
  const { p, q, token: t } = names(ir)
  const all: Record<string, string> = {}
  ir.parameters.forEach((param, i) => (all[param.name] = `value-${i}`))
  return [
    { description: "no parameters", params: {} },
    { description: "every parameter", params: all },
    { description: "values that need encoding", params: { [t]: "a b+c\"d,e=f%", [p]: "é 📺", [q]: "\r\n\u0000" } },
    { description: "an empty value", params: { [p]: "" } },
    { description: "a lone surrogate", params: { [p]: "\ud800" } }
  ]
}

export const validateCases = (ir: Ir): ReadonlyArray<FormatCase> => {
  const { token: t } = names(ir)
  const all: Record<string, string> = {}
  ir.parameters.forEach((param, i) => (all[param.name] = `value-${i}`))
  const empty: Record<string, string> = {}
  ir.parameters.forEach((param) => (empty[param.name] = ""))
  return [
    { description: "no parameters", params: {} },
    { description: "every parameter", params: all },
    { description: "every parameter empty", params: empty },
    { description: "a white-space token", params: { ...all, [t]: " " } },
    { description: "an unknown and an invalid key", params: { ...all, Extra: "x", "bad key": "y" } }
  ]
}

export const extractCases = (ir: Ir): ReadonlyArray<ExtractCase> => {
  const { scheme: s, token: t } = names(ir)
  const schemeHeaders = ir.transports.filter((x) => x.carries === "scheme")
  const tokenHeaders = ir.transports.filter((x) => x.carries === "token" && x.kind === "header")
  const queries = ir.transports.filter((x) => x.kind === "query")
  const cases: Array<ExtractCase> = [{ description: "an empty request", request: { headers: {} } }]
  for (const h of schemeHeaders) {
    cases.push({ description: `only ${h.name}`, request: { headers: { [h.key]: `${s} ${t}="from-${h.name}"` } } })
  }
  if (schemeHeaders.length > 1) {
    const headers: Record<string, string> = {}
    for (const h of schemeHeaders) headers[h.key] = `${s} ${t}="from-${h.name}"`
    cases.push({ description: "every scheme header", request: { headers } })
    cases.push({
      description: `a foreign credential in ${schemeHeaders[0]!.name}`,
      request: { headers: { ...headers, [schemeHeaders[0]!.key]: "Basic dXNlcjpwYXNz" } }
    })
    cases.push({
      description: `an empty ${schemeHeaders[0]!.name}`,
      request: { headers: { ...headers, [schemeHeaders[0]!.key]: "" } }
    })
  }
  for (const x of [...tokenHeaders, ...queries]) {
    const where = x.kind === "header" ? "headers" : "query"
    cases.push({
      description: `only ${x.name}`,
      request: where === "headers" ? { headers: { [x.key]: `tok-${x.name}` } } : { headers: {}, query: { [x.key]: `tok-${x.name}` } }
    })
    cases.push({
      description: `${x.name} repeated, name in upper case`,
      request: where === "headers"
        ? { headers: { [x.key.toUpperCase()]: ["a", "b"] } }
        : { headers: {}, query: { [x.key.toUpperCase()]: ["a", "b"] } }
    })
  }
  const headers: Record<string, string> = {}
  const query: Record<string, string> = {}
  for (const x of ir.transports) {
    if (x.carries === "scheme") headers[x.key] = `${s} ${t}="from-${x.name}"`
    else if (x.kind === "header") headers[x.key] = `tok-${x.name}`
    else query[x.key] = `tok-${x.name}`
  }
  cases.push({ description: "every transport at once", request: { headers, query } })
  if (schemeHeaders.length > 0) {
    const first = schemeHeaders[0]!
    cases.push({
      description: `a white-space token in ${first.name}, and every query parameter`,
      request: { headers: { [first.key]: `${s} ${t}="+"` }, query }
    })
    cases.push({
      description: `an empty token in ${first.name}, and every query parameter`,
      request: { headers: { [first.key]: `${s} ${t}=""` }, query }
    })
  }
  return [...cases, ...separateValueCases(ir)]
}

// Requests with the spec's separate values: alone, as headers and in the query, and beside a
// scheme header that gives some of the same parameters (one empty, one different).
const separateValueCases = (ir: Ir): ReadonlyArray<ExtractCase> => {
  const values = ir.separateValues
  if (values.length === 0) return []
  const { scheme: s, token: t } = names(ir)
  const inHeaders: Record<string, string> = {}
  const inQuery: Record<string, string> = {}
  for (const v of values) {
    // An encoded header value holds a space, written as the clients write it.
    if (v.header !== undefined) inHeaders[v.header] = v.headerEncoding === "percent" ? `header%20${v.parameter}` : `header-${v.parameter}`
    if (v.query !== undefined) inQuery[v.query] = `query ${v.parameter}`
  }
  const cases: Array<ExtractCase> = [
    { description: "separate values as headers", request: { headers: inHeaders } },
    { description: "separate values in the query", request: { headers: {}, query: inQuery } },
    { description: "separate values as headers and in the query", request: { headers: inHeaders, query: inQuery } }
  ]
  const schemeHeader = ir.transports.find((x) => x.carries === "scheme")
  if (schemeHeader !== undefined) {
    const [first, second] = values
    const fields = [`${t}="abc"`, `${first!.parameter}="from-scheme"`, ...(second === undefined ? [] : [`${second.parameter}=""`])]
    cases.push({
      description: `${schemeHeader.name} with client fields (one empty) beside separate values`,
      request: { headers: { [schemeHeader.key]: `${s} ${fields.join(", ")}`, ...inHeaders } }
    })
  }
  return cases
}
