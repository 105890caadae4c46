// Prints JSON-like data as TypeScript literals in the repo's style (double quotes, no trailing
// commas, two-space indent), inline when it fits in the line width.

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

const key = (k: string): string => (identifier.test(k) ? k : JSON.stringify(k))

/** A TypeScript literal for `value`, starting at a column of `indent.length`. */
export const literal = (value: unknown, indent = "", width = 120): string => {
  if (value === null || typeof value === "boolean" || typeof value === "number") return String(value)
  if (typeof value === "string") return JSON.stringify(value)
  const inner = indent + "  "
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]"
    const items = value.map((v) => literal(v, inner, width))
    const inline = `[${items.join(", ")}]`
    if (!inline.includes("\n") && indent.length + inline.length <= width) return inline
    return `[\n${items.map((i) => inner + i).join(",\n")}\n${indent}]`
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (entries.length === 0) return "{}"
  const items = entries.map(([k, v]) => `${key(k)}: ${literal(v, inner, width)}`)
  const inline = `{ ${items.join(", ")} }`
  if (!inline.includes("\n") && indent.length + inline.length <= width) return inline
  return `{\n${items.map((i) => inner + i).join(",\n")}\n${indent}}`
}

/** A union of string literal types, or `never`. */
export const union = (names: ReadonlyArray<string>): string =>
  names.length === 0 ? "never" : names.map((n) => JSON.stringify(n)).join(" | ")

/** A JSDoc block (one paragraph per entry, "" for a blank line) at `indent`. */
export const jsdoc = (lines: ReadonlyArray<string>, indent = ""): string =>
  `${indent}/**\n${lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l.replace(/\*\//g, "*\\/")}`)).join("\n")}\n${indent} */`
