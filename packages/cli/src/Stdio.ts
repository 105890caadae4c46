/**
 * The process's standard streams as a service: whether each is a terminal, and standard input as
 * text or as lines. Commands never touch `process.stdin` directly, so argv tests can feed input and
 * pretend to be (or not be) a terminal.
 *
 * Output goes through `effect/Console` (`log` → stdout, `error` → stderr), see {@link Output}.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
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
 * Splits a stream of text into lines as {@link splitLines} does, one chunk of lines for each chunk
 * of text: a consumer handles a whole chunk's lines in a plain loop, and the stream pulls the next
 * piece of text only when it asks for more (so a slow consumer holds back the reading).
 *
 * @since 0.1.0
 * @category utils
 */
export const linesOf = <E>(text: Stream.Stream<string, E>): Stream.Stream<string, E> =>
  Stream.suspend(() => {
    // The unterminated end of what was read so far. Pieces without a line break are appended
    // (V8 keeps the concatenation unflattened), so a long line costs its length, not its square.
    let partial = ""
    const split = (chunk: Chunk.Chunk<string>) => {
      const lines: Array<string> = []
      for (const piece of chunk) {
        if (!piece.includes("\n")) {
          partial += piece
          continue
        }
        const parts = (partial + piece).split("\n")
        partial = parts.pop()!
        for (const line of parts) lines.push(line.endsWith("\r") ? line.slice(0, -1) : line)
      }
      return Chunk.unsafeFromArray(lines)
    }
    return text.pipe(
      Stream.mapChunks(split),
      Stream.concat(Stream.suspend(() => (partial === "" ? Stream.empty : Stream.succeed(partial))))
    )
  })

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
  // Decoding in the stream keeps a character split between two reads whole.
  const text = Stream.suspend(() =>
    Stream.fromAsyncIterable(process.stdin.setEncoding("utf8") as AsyncIterable<string>, toError)
  )
  return Stdio.of({
    isTTY: { stdin: isatty(0), stdout: isatty(1), stderr: isatty(2) },
    readAll: Stream.mkString(text),
    lines: linesOf(text)
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
      lines: linesOf(Stream.make(options.input ?? ""))
    })
  )
