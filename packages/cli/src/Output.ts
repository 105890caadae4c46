/**
 * Where a command's words go. Stdout carries data only (the result, or one JSON value per line
 * with `--json`); everything for the human (notes, progress, warnings, errors) goes to stderr, so
 * `mbauth … | jq` and `$(mbauth …)` always see clean data.
 *
 * Writes go through `effect/Console` (`log` → stdout, `error` → stderr), which is what the
 * argv tests capture.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { CliError } from "./CliError.js"
import * as Ansi from "./internal/ansi.js"
import * as Escape from "./internal/escape.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `--json` was given: stdout gets one JSON value per line. */
  readonly json: boolean
  /** Styles for stdout (identity functions when stdout gets no colour). */
  readonly style: Ansi.Styles
  /** Styles for stderr. */
  readonly errStyle: Ansi.Styles
  /** Writes data (one or more lines) to stdout. */
  readonly data: (text: string) => Effect.Effect<void>
  /** Writes one value as one line of JSON to stdout. */
  readonly jsonLine: (value: unknown) => Effect.Effect<void>
  /** Writes JSON texts (each from `JSON.stringify`) to stdout, one per line, as {@link Service.jsonLine} writes one. */
  readonly jsonLines: (texts: ReadonlyArray<string>) => Effect.Effect<void>
  /** Writes a line for the human to stderr. */
  readonly note: (text: string) => Effect.Effect<void>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Output extends Context.Tag("@mbauth/cli/Output")<Output, Service>() {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly json: boolean
  readonly stdoutColor: boolean
  readonly stderrColor: boolean
}): Service => ({
  json: options.json,
  style: Ansi.styles(options.stdoutColor),
  errStyle: Ansi.styles(options.stderrColor),
  data: (text) => Console.log(Escape.output(text)),
  jsonLine: (value) => Console.log(Escape.jsonLine(JSON.stringify(value))),
  jsonLines: (texts) => Console.log(Escape.jsonLine(texts.join("\n"))),
  note: (text) => Console.error(Escape.output(text))
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Parameters<typeof make>[0]): Layer.Layer<Output> =>
  Layer.succeed(Output, make(options))

/**
 * Prints the result of a command: `human()` to stdout normally, `json()` as one JSON line with
 * `--json`. Both are thunks so only the chosen one is computed.
 *
 * @since 0.1.0
 * @category printing
 */
export const result = (human: (style: Ansi.Styles) => string, json: () => unknown): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Output, (out) => (out.json ? out.jsonLine(json()) : out.data(human(out.style))))

/**
 * Writes a line to stderr.
 *
 * @since 0.1.0
 * @category printing
 */
export const note = (text: string): Effect.Effect<void, never, Output> => Effect.flatMap(Output, (out) => out.note(text))

/**
 * The JSON shape of a failed command (`--json`): `{"ok":false,"error":{…}}`.
 *
 * @since 0.1.0
 * @category printing
 */
export const errorJson = (error: CliError): unknown => {
  switch (error._tag) {
    case "CommandFailed":
      return {
        ok: false,
        error: {
          code: error.code,
          message: error.message,
          ...(error.hint !== undefined ? { hint: error.hint } : {}),
          ...(error.detail !== undefined ? { detail: error.detail } : {})
        }
      }
    case "UsageError":
      return { ok: false, error: { code: "UsageError", message: error.message } }
    case "NotInteractive":
      return { ok: false, error: { code: "NotInteractive", message: error.message, use: error.alternatives } }
    case "Reported":
      return { ok: false, error: { code: "Reported" } }
  }
}

/**
 * The human lines for a failed command (one or two), for stderr.
 *
 * @since 0.1.0
 * @category printing
 */
export const errorLines = (error: CliError, style: Ansi.Styles): ReadonlyArray<string> => {
  // Messages quote servers (names, error bodies): each stays one line, shown, never acted on.
  const head = (message: string) => `${style.red(style.bold("error:"))} ${Escape.untrusted(message)}`
  switch (error._tag) {
    case "CommandFailed":
    case "UsageError":
      return error.hint === undefined ? [head(error.message)] : [head(error.message), `  ${Escape.untrusted(error.hint)}`]
    case "NotInteractive":
      return [head(error.message), `  use ${error.alternatives.join(" or ")}`]
    case "Reported":
      return []
  }
}

/**
 * Reports a failed command: JSON on stdout with `--json` for operation failures (a script reading
 * stdout gets a parseable answer), human lines on stderr otherwise. Usage errors are always for the
 * human, so they always go to stderr.
 *
 * @since 0.1.0
 * @category printing
 */
export const reportError = (error: CliError): Effect.Effect<void, never, Output> =>
  Effect.flatMap(Output, (out) => {
    if (error._tag === "Reported") return Effect.void
    if (out.json && error._tag === "CommandFailed") return out.jsonLine(errorJson(error))
    return Effect.forEach(errorLines(error, out.errStyle), out.note, { discard: true })
  })
