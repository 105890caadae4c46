/**
 * Text from a server (names, versions, ids, addresses, error bodies) made safe to print: a terminal
 * must only ever show it, never act on it. Control characters (escape sequences recolour or
 * rewrite the screen, line breaks forge lines), line and paragraph separators, and the invisible
 * bidirectional controls that reorder what is shown (U+202E) are written as `\n`, `\u001b`,
 * `\u202e`, …
 *
 * @internal
 */

// C0, DEL and C1 (U+0085 included), the Arabic letter mark, left-to-right and right-to-left marks,
// line and paragraph separators, bidi embeddings and overrides (U+202A–U+202E) and isolates
// (U+2066–U+2069).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g
// The same, less what mbauth's own output is made of: line breaks, tabs, and the escape character
// of its colours. Untrusted text has had those escaped already.
const UNSAFE_IN_OUTPUT = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g
// What JSON.stringify leaves raw but a terminal (or a JavaScript reader, for U+2028/U+2029) acts on.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

const SHORT: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" }

const escapeChar = (c: string): string => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`

/** Untrusted text for one line of human output: every unsafe character escaped, line breaks too. @internal */
export const untrusted = (text: string): string => text.replace(UNSAFE, escapeChar)

/** Untrusted text whose lines are kept (a response body): unsafe characters but line breaks and tabs escaped. @internal */
export const untrustedLines = (text: string): string =>
  text.replace(UNSAFE, (c) => (c === "\n" || c === "\t" ? c : escapeChar(c)))

/** A last pass over everything written for people: whatever slipped through is escaped here. @internal */
export const output = (text: string): string => text.replace(UNSAFE_IN_OUTPUT, escapeChar)

/** A JSON line with the characters JSON leaves raw written as `\uXXXX` (the same JSON value). @internal */
export const jsonLine = (json: string): string => json.replace(UNSAFE_IN_JSON, escapeChar)
