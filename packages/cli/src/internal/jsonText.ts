/**
 * JSON text laid out again without turning it into values: compact (one line) or indented. The
 * scan keeps no stack, so nesting depth costs nothing (`JSON.stringify` recurses, and a body of
 * 100,000 nested arrays overflows it), and numbers stay exactly as the server wrote them.
 *
 * The input must be valid JSON: check it with `JSON.parse` first, which does not recurse.
 *
 * @internal
 */

const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\r" || c === "\t"
const isStructural = (c: string | undefined) =>
  c === "{" || c === "}" || c === "[" || c === "]" || c === "," || c === ":" || c === "\"" || isSpace(c)

/**
 * Indents nested levels by `indent` ("" for one line). Returns `undefined` when the text nests
 * deeper than `maxDepth`: indented, it would grow with the square of its depth.
 *
 * @internal
 */
export const layout = (text: string, indent: string, maxDepth = Infinity): string | undefined => {
  const out: Array<string> = []
  const breakLine = (depth: number) => (indent === "" ? "" : `\n${indent.repeat(depth)}`)
  let depth = 0
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (isSpace(c)) {
      i++
    } else if (c === "\"") {
      let end = i + 1
      while (text[end] !== "\"") end += text[end] === "\\" ? 2 : 1
      out.push(text.slice(i, end + 1))
      i = end + 1
    } else if (c === "{" || c === "[") {
      let next = i + 1
      while (isSpace(text[next])) next++
      if (text[next] === "}" || text[next] === "]") {
        out.push(c, text[next]!)
        i = next + 1
      } else {
        if (++depth > maxDepth) return undefined
        out.push(c, breakLine(depth))
        i++
      }
    } else if (c === "}" || c === "]") {
      out.push(breakLine(--depth), c)
      i++
    } else if (c === ",") {
      out.push(",", breakLine(depth))
      i++
    } else if (c === ":") {
      out.push(indent === "" ? ":" : ": ")
      i++
    } else {
      let end = i + 1
      while (end < text.length && !isStructural(text[end])) end++
      out.push(text.slice(i, end))
      i = end
    }
  }
  return out.join("")
}

/**
 * The text on one line.
 *
 * @internal
 */
export const compact = (text: string): string => layout(text, "")!
