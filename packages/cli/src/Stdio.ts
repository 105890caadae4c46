/**
 * The process's standard streams as a service: whether each is a terminal, and standard input as
 * text or as lines. Commands never touch `process.stdin` directly, so argv tests can feed input and
 * pretend to be (or not be) a terminal.
 *
 * Output goes through `effect/Console` (`log` → stdout, `error` → stderr), see {@link Output}.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { isatty } from "node:tty"

/**
 * Reading standard input failed (a closed or unreadable descriptor).
 *
 * @since 0.1.0
 * @category errors
 */
export class StdinError extends Data.TaggedError("StdinError")<{ readonly message: string }> {}

/**
 * @since 0.1.0
 * @category models
 */
export interface TtyState {
  readonly stdin: boolean
  readonly stdout: boolean
  readonly stderr: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Which of the three streams are terminals. */
  readonly isTTY: TtyState
  /** All of standard input, decoded as UTF-8. */
  readonly readAll: Effect.Effect<string, StdinError>
  /** Standard input line by line (`\n` or `\r\n`), without the terminators; a final unterminated line counts. */
  readonly lines: Stream.Stream<string, StdinError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Stdio extends Context.Tag("@mbauth/cli/Stdio")<Stdio, Service>() {}

/**
 * Splits text into lines the way {@link Service.lines} does.
 *
 * @since 0.1.0
 * @category utils
 */
export const splitLines = (text: string): Array<string> => {
  if (text === "") return []
  const lines = text.split(/\r?\n/)
  // "a\nb\n" is two lines, not three: a trailing terminator does not open an empty line.
  if (lines[lines.length - 1] === "") lines.pop()
  return lines
}

/**
 * The real process streams.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode: Layer.Layer<Stdio> = Layer.sync(Stdio, () => {
  const toError = (cause: unknown) =>
    new StdinError({ message: `cannot read standard input: ${cause instanceof Error ? cause.message : String(cause)}` })
  // `process.stdin` is touched only when a command reads input: creating it on a terminal would
  // otherwise be wasted work on every start, and `isatty` answers the TTY question without it.
  const chunks = Stream.suspend(() =>
    Stream.fromAsyncIterable(process.stdin as AsyncIterable<Buffer | string>, toError)
  ).pipe(Stream.map((chunk) => (typeof chunk === "string" ? chunk : chunk.toString("utf8"))))
  return Stdio.of({
    isTTY: { stdin: isatty(0), stdout: isatty(1), stderr: isatty(2) },
    readAll: Stream.mkString(chunks),
    lines: Stream.splitLines(chunks)
  })
})

/**
 * A fixed input and TTY state, for tests.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = (options: { readonly input?: string; readonly isTTY?: Partial<TtyState> } = {}) =>
  Layer.succeed(
    Stdio,
    Stdio.of({
      isTTY: { stdin: false, stdout: false, stderr: false, ...options.isTTY },
      readAll: Effect.succeed(options.input ?? ""),
      lines: Stream.fromIterable(splitLines(options.input ?? ""))
    })
  )
