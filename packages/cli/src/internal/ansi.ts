/**
 * ANSI styling that switches off cleanly: every style is the identity when colour is disabled, so
 * callers never branch on colour themselves.
 *
 * @internal
 */

// Matches CSI/OSC escape sequences (the shapes @effect/printer-ansi and terminals emit).
const pattern = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g

/**
 * The text without escape sequences. Every sequence starts with ESC or CSI, and most text (JSON
 * lines, anything printed without colour) has neither: looking for those two characters costs far
 * less than the pattern's scan of every character.
 *
 * @internal
 */
export const strip = (text: string): string =>
  text.includes("\u001B") || text.includes("\u009B") ? text.replace(pattern, "") : text

/** @internal */
export interface Styles {
  readonly enabled: boolean
  readonly bold: (text: string) => string
  readonly dim: (text: string) => string
  readonly red: (text: string) => string
  readonly green: (text: string) => string
  readonly yellow: (text: string) => string
  readonly cyan: (text: string) => string
}

const sgr = (open: number, close: number) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`
const identity = (text: string) => text

/** @internal */
export const styles = (enabled: boolean): Styles =>
  enabled
    ? {
      enabled,
      bold: sgr(1, 22),
      dim: sgr(2, 22),
      red: sgr(31, 39),
      green: sgr(32, 39),
      yellow: sgr(33, 39),
      cyan: sgr(36, 39)
    }
    : { enabled, bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity }

/** `--color`: `auto` decides by the stream and the environment. @internal */
export type ColorMode = "auto" | "always" | "never"

/**
 * The colour mode a command line asks for: the last of `--color WHEN`, `--color=WHEN` and
 * `--no-color` (which is `--color=never`) before `--`; `auto` when none.
 *
 * @internal
 */
export const colorModeOf = (args: ReadonlyArray<string>): ColorMode => {
  let mode: ColorMode = "auto"
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    const value = arg === "--color" ? args[++i] : arg.startsWith("--color=") ? arg.slice("--color=".length) : arg === "--no-color" ? "never" : undefined
    if (value === "auto" || value === "always" || value === "never") mode = value
  }
  return mode
}

/**
 * Whether a stream gets colour codes. `--color always|never` decides; otherwise FORCE_COLOR (any
 * value but empty, `0` or `false`) turns colour on even in a pipe, and it is off when NO_COLOR is
 * set (non-empty), the stream is not a terminal, or TERM is `dumb`. FORCE_COLOR wins over
 * NO_COLOR, as in Node's own `tty.hasColors`.
 *
 * @internal
 */
export const colorEnabled = (options: {
  readonly isTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
  readonly mode: ColorMode
}): boolean => {
  if (options.mode !== "auto") return options.mode === "always"
  const force = options.env["FORCE_COLOR"]
  if (force !== undefined && force !== "") return force !== "0" && force !== "false"
  return options.isTTY &&
    (options.env["NO_COLOR"] === undefined || options.env["NO_COLOR"] === "") &&
    options.env["TERM"] !== "dumb"
}
