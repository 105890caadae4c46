/**
 * The `--verbose` logger: one line per log record on stderr (through the Console service, so tests
 * see it), secrets masked. Without `--verbose` only warnings and errors are shown.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type * as Ansi from "./ansi.js"
import * as Redaction from "@mbauth/core/Redaction"

const render = (value: unknown): string => {
  if (typeof value === "string") return value
  try {
    // Redacted values serialise as "<redacted>" (their toJSON), so structured messages are safe.
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** @internal */
export const make = (style: Ansi.Styles): Logger.Logger<unknown, string> =>
  Logger.make(({ annotations, cause, logLevel, message }) => {
    const parts = (Array.isArray(message) ? message : [message]).map(render)
    for (const [key, value] of HashMap.toEntries(annotations)) parts.push(`${key}=${render(value)}`)
    if (!Cause.isEmpty(cause)) parts.push(Cause.pretty(cause, { renderErrorCause: true }))
    const level = logLevel.label.toLowerCase()
    const tag = logLevel._tag === "Error" || logLevel._tag === "Fatal"
      ? style.red(level)
      : logLevel._tag === "Warning"
      ? style.yellow(level)
      : style.dim(level)
    return `${style.dim("mbauth")} ${tag} ${Redaction.maskText(parts.join(" "))}`
  })

/**
 * The logger, and the minimum level: Debug with `--verbose`; otherwise what `--log-level` set, and
 * Warning when it was left at Effect's default (Info), so a command is quiet unless asked.
 *
 * @internal
 */
export const layer = (options: { readonly verbose: boolean; readonly style: Ansi.Styles }): Layer.Layer<never> =>
  Layer.merge(
    Logger.replace(Logger.defaultLogger, Logger.withConsoleError(make(options.style))),
    Layer.unwrapEffect(
      Effect.map(FiberRef.get(FiberRef.currentMinimumLogLevel), (current) =>
        Logger.minimumLogLevel(
          options.verbose ? LogLevel.Debug : current._tag === LogLevel.Info._tag ? LogLevel.Warning : current
        ))
    )
  )
