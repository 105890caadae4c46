// The `markdown` target: a reference page (parameters, transports, deprecations, grammar, and a
// precedence table per server profile), with the spec's examples parsed by the real algorithm.
import { type Ir, toTables } from "../Ir.js"
import { headerText } from "./header.js"
import * as Runtime from "@mbauth/runtime"

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)
  ].join("\n")

const code = (s: string): string => (s === "" ? "(empty)" : "`" + s.replace(/`/g, "'") + "`")

const yes = (b: boolean): string => (b ? "yes" : "no")

const grammarText: Record<string, (v: unknown) => string> = {
  schemeMatching: (v) => `The scheme is the text before the first U+0020 space, compared ${v === "case-insensitive" ? "ignoring ASCII case" : "exactly"}. No space: no parameters at all.`,
  quoting: () => "Values must be quoted in strict mode; in compat mode quotes are optional.",
  escapeCharacter: () => "There is no escape character: a backslash is data, and an odd number of raw quotes swallows the rest of the header.",
  quoteTrimming: () => "Every leading and trailing double quote of a raw value is removed, and nothing else (spaces stay).",
  valueDecoding: (v) =>
    v === "form-urlencoded"
      ? "Values are form-URL decoded after the quotes are removed: `+` is a space, `%XY` is a byte, bytes are UTF-8; a broken `%` stays as it is."
      : v === "percent"
      ? "Values are percent-decoded after the quotes are removed (`+` stays); bytes are UTF-8."
      : "Values are not decoded.",
  invalidUtf8: () => "Invalid UTF-8 becomes U+FFFD (one per maximal invalid subpart) in compat mode; strict mode rejects it.",
  duplicateKeys: (v) => `When a key repeats, the ${v} one wins, even when it is empty.`,
  keyTrimming: (v) =>
    v === "dotnet"
      ? "Keys are trimmed with .NET `char.IsWhiteSpace` (includes U+0085, excludes U+FEFF, unlike JavaScript `trim`)."
      : v === "ecmascript"
      ? "Keys are trimmed like JavaScript `String.prototype.trim`."
      : "Keys are not trimmed.",
  keyCase: () => "Keys are case-sensitive.",
  emptySegment: (v) =>
    v === "keep-pending-key"
      ? "An empty unquoted value stores nothing and keeps the pending key: `Key=,abc` stores `abc` under Key."
      : "An empty unquoted value stores nothing and forgets its key.",
  segmentWithoutKey: () => "A segment without `=` is stored under the empty-string key; a raw `=` inside an unquoted value starts a new key.",
  unterminatedQuote: () => "An unterminated quote runs to the end and is accepted (compat); strict mode rejects it.",
  strictKeys: () => "Strict mode allows only ASCII letters and digits in keys.",
  repeatedValueSeparator: (v) => `Repeated header or query values are joined with ${code(String(v))} into one value.`
}

/** The reference page. */
export const emitMarkdown = (ir: Ir): string => {
  const runtime = Runtime.make(toTables(ir))
  const out: Array<string> = [`<!-- ${headerText(ir)} -->`, "", `# ${ir.title}`, "", ir.description, ""]
  out.push("## Schemes", "")
  out.push(table(["Scheme", "Legacy-gated", "Description"], ir.schemes.map((s) => [code(s.name), yes(s.legacy), s.description])), "")
  out.push("## Parameters", "", "Keys are case-sensitive. Canonical order:", "")
  out.push(
    table(
      ["Key", "Secret", "Required for", "Description"],
      ir.parameters.map((p) => [
        code(p.name),
        yes(p.secret),
        p.requiredFor.length === 0 ? "—" : p.requiredFor.join(", ") + (p.nonEmpty ? " (never empty)" : ""),
        p.description + (p.name === ir.tokenParameter ? " Carries the credential." : "")
      ])
    ),
    ""
  )
  out.push("## Transports", "")
  out.push(
    table(
      ["Type", "Name", "Carries", "Deprecated", "Discouraged", "Use instead", "Description"],
      ir.transports.map((t) => [
        t.kind,
        code(t.key),
        t.carries === "scheme" ? "scheme and parameters" : "token only",
        yes(t.deprecated),
        yes(t.discouraged),
        t.replacement ?? "—",
        t.description
      ])
    ),
    ""
  )
  if (ir.separateValues.length > 0) {
    out.push("## Separate values", "")
    out.push("Parameters that can also travel on their own, outside the scheme header; each profile says whether it reads them, and which wins when both give a value.", "")
    out.push(
      table(
        ["Parameter", "Header", "Query parameter", "Description"],
        ir.separateValues.map((v) => [
          code(v.parameter),
          v.header === undefined ? "—" : code(v.header) + (v.headerEncoding === "percent" ? " (percent-encoded)" : ""),
          v.query === undefined ? "—" : code(v.query),
          v.description
        ])
      ),
      ""
    )
  }
  out.push("## Server profiles", "")
  for (const p of ir.profiles) {
    out.push(`### ${p.name}`, "", p.description, "")
    out.push(
      p.legacyDefault === null
        ? "No legacy switch: every transport listed is read."
        : `Legacy switch default: **${p.legacyDefault ? "on" : "off"}**. Gated sources are ignored, silently, while it is off.`,
      ""
    )
    out.push(
      "Scheme header (client info and header token): the first one listed is read; the next only when it is absent or empty. Only the first value of a repeated header is parsed.",
      ""
    )
    out.push(table(["#", "Header", "Gated by legacy"], p.schemeHeaderOrder.map((s, i) => [String(i + 1), code(s.transport), yes(s.gatedByLegacy)])), "")
    out.push("Token: the first non-empty value in this order is validated (no fallback when it is invalid).", "")
    out.push(
      table(
        ["#", "Source", "Gated by legacy"],
        p.tokenOrder.map((s, i) => {
          const t = ir.transports.find((x) => x.name === s.transport)
          const what = t?.carries === "scheme" ? `\`${ir.tokenParameter}\` in ${code(s.transport)}, when that header is the one read` : `${t?.kind ?? ""} ${code(s.transport)}`
          return [String(i + 1), what, yes(s.gatedByLegacy)]
        })
      ),
      ""
    )
    if (ir.separateValues.length > 0) {
      const reading = p.separateValues
      out.push(
        reading === undefined
          ? "Separate values: not read (the parameters come from the scheme header only)."
          : `Separate values: read from the ${reading.read.join(", then the ")}; ${
            reading.precedence === "scheme-header"
              ? "the scheme header's value wins, a separate value fills a parameter the header leaves absent or empty"
              : "a separate value wins, the scheme header's value fills a parameter they leave absent or empty"
          }.`,
        ""
      )
    }
    const unread = ir.transports.filter((t) => !p.tokenOrder.some((s) => s.transport === t.name) && !p.schemeHeaderOrder.some((s) => s.transport === t.name))
    if (unread.length > 0) out.push(`Not read at all: ${unread.map((t) => code(t.name)).join(", ")}.`, "")
  }
  out.push("## Grammar", "")
  out.push(
    table(
      ["Rule", "Value", "Meaning"],
      Object.entries(ir.grammar).map(([k, v]) => [k, code(typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)), grammarText[k]?.(v) ?? ""])
    ),
    ""
  )
  out.push("## Format styles", "")
  out.push(
    table(
      ["Style", "Order", "Absent parameters", "Description"],
      ir.formatStyles.map((s) => [code(s.name), s.order.join(", "), s.absent === "omit" ? "left out" : "written as \"\"", s.description])
    ),
    ""
  )
  if (ir.examples.length > 0) {
    out.push("## Examples", "", "Each example as the server reads it (compat) and as the strict grammar judges it.", "")
    for (const e of ir.examples) {
      const compat = runtime.parse(e.header)
      const strict = runtime.parse(e.header, { mode: "strict" })
      out.push(`- ${e.description}`, "", "  ```", `  ${e.header}`, "  ```", "")
      out.push(
        `  compat: ${
          compat._tag === "Ok"
            ? [...compat.value.dictionary].map(([k, v]) => `${code(k)} → ${code(v)}`).join(", ") || "no parameters"
            : `no dictionary (${compat.error.code})`
        }; strict: ${strict._tag === "Ok" ? "accepted" : `${strict.error.code} at offset ${strict.error.offset}`}.`,
        ""
      )
    }
  }
  return out.join("\n").replace(/\n+$/, "\n")
}
