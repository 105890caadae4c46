/**
 * ANSI styling that switches off cleanly: every style is the identity when colour is disabled, so
 * callers never branch on colour themselves.
 *
 * @internal
 */

// Matches CSI/OSC escape sequences (the shapes @effect/printer-ansi and terminals emit).
const pattern = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g

/** @internal */
export const strip = (text: string): string => text.replace(pattern, "")

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

/**
 * Whether a stream should get colour: it must be a terminal, and neither `NO_COLOR` (any non-empty
 * value, https://no-color.org), `TERM=dumb` nor `--no-color` may be set.
 *
 * @internal
 */
export const colorEnabled = (options: {
  readonly isTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
  readonly noColorFlag: boolean
}): boolean =>
  options.isTTY &&
  !options.noColorFlag &&
  (options.env["NO_COLOR"] === undefined || options.env["NO_COLOR"] === "") &&
  options.env["TERM"] !== "dumb"
