/**
 * Shows where in a one-line input something is wrong: the input (secrets already masked by the
 * caller) and a caret under the offending character, windowed around it when the line is long.
 *
 * @internal
 */

const printable = (c: string): string => {
  const code = c.codePointAt(0)!
  // One visible cell per character keeps the caret aligned: control characters (tab, CR, NUL…)
  // would move or hide text.
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) ? "·" : c
}

/**
 * The two lines: `input` and the caret line. `offset` is a UTF-16 index (what the parsers
 * report); it may equal the length (the problem is the missing end).
 *
 * @internal
 */
export const render = (
  input: string,
  offset: number,
  options: { readonly width?: number; readonly label?: string } = {}
): readonly [string, string] => {
  const width = Math.max(20, options.width ?? 100)
  // Work in code points so an emoji counts as one cell.
  const chars = Array.from(input, printable)
  const column = Array.from(input.slice(0, Math.max(0, Math.min(offset, input.length)))).length
  let from = 0
  let to = chars.length
  if (chars.length > width) {
    from = Math.max(0, Math.min(column - Math.floor(width / 2), chars.length - width))
    to = Math.min(chars.length, from + width)
  }
  const head = from > 0 ? "…" : ""
  const tail = to < chars.length ? "…" : ""
  const line = head + chars.slice(from, to).join("") + tail
  const caret = " ".repeat(head.length + column - from) + "^" + (options.label === undefined ? "" : ` ${options.label}`)
  return [line, caret]
}
