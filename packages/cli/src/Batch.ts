/**
 * Batch mode, shared by `header format|parse|lint` and `request explain`: `--stdin` reads one
 * input per line, `--input jsonl` makes each line a JSON value, and the output has exactly one
 * line per input line, in order, valid or not, so `paste`, `jq -s` and log pipelines can line
 * results up with their inputs.
 *
 * With `--json` each output line is `{"line":N,"ok":…,…}`. Without it, each line is the command's
 * one-line human summary; a line that cannot produce a result prints an empty stdout line and says
 * why on stderr. The command exits 1 when any line was not ok.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import type * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as CliError from "./CliError.js"
import { Output } from "./Output.js"
import { Stdio } from "./Stdio.js"

/**
 * `--stdin` and `--input`.
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
  stdin: Options.boolean("stdin").pipe(
    Options.withDescription("Batch mode: one input per line from standard input, one output line per input line.")
  ),
  input: Options.choice("input", ["text", "jsonl"] as const).pipe(
    Options.optional,
    Options.withDescription("Batch input format: text (the raw value per line) or jsonl (one JSON value per line).")
  )
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type InputFormat = "text" | "jsonl"

/**
 * What one input line produced. `json` and `human` are thunks, so only the output asked for is
 * computed.
 *
 * @since 0.1.0
 * @category models
 */
export interface LineResult {
  readonly ok: boolean
  /** The JSON fields after `line` and `ok`. */
  readonly json: () => Record<string, unknown>
  /** The one-line human summary; `undefined` prints an empty line and {@link LineResult.note} on stderr. */
  readonly human: () => string | undefined
  /** Said on stderr (prefixed with the line number) in human mode. */
  readonly note?: string
}

/**
 * A line whose input could not be read (not JSON, wrong shape).
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidInput = (code: string, message: string): LineResult => ({
  ok: false,
  json: () => ({ error: { code, message } }),
  human: () => undefined,
  note: message
})

/**
 * Parses a `--input jsonl` line.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseJsonLine = (line: string): Either.Either<unknown, LineResult> => {
  try {
    return Either.right(JSON.parse(line))
  } catch (cause) {
    // Not Node's message: it quotes the start of the line, which may be a token.
    return Either.left(invalidInput("InvalidJson", `not JSON (${jsonErrorKind(cause)}); each line must be one JSON value`))
  }
}

/**
 * The batch input format a command gets: what the user chose, or the command's default; a format
 * the command does not read is a usage error.
 *
 * @since 0.1.0
 * @category decoding
 */
export const inputFormat = (
  chosen: Option.Option<InputFormat>,
  command: string,
  accepted: ReadonlyArray<InputFormat>
): Effect.Effect<InputFormat, CliError.UsageError> => {
  const format = Option.getOrElse(chosen, () => accepted[0]!)
  return accepted.includes(format)
    ? Effect.succeed(format)
    : Effect.fail(
      new CliError.UsageError({
        message: `${command} reads --input ${accepted.join(" or ")}, not ${format}`,
        hint: `each line: ${accepted.includes("jsonl") ? "one JSON value" : "the raw value"}`
      })
    )
}

/**
 * Runs `handle` on every line of stdin and prints the results.
 *
 * Lines arrive in chunks (one per read of stdin): a chunk's lines are handled in a plain loop and
 * its output written at once, so the cost per line is the command's own work. The write waits
 * while stdout is full, and the next chunk is read only after that, so memory stays bounded
 * however slowly stdout is read.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  handle: (line: string) => LineResult
): Effect.Effect<void, CliError.CliError, Stdio | Output> =>
  Effect.gen(function*() {
    const stdio = yield* Stdio
    const out = yield* Output
    // Reading a terminal is legitimate (type or paste lines), but should not look like a hang.
    if (stdio.isTTY.stdin) yield* out.note("reading one input per line from the terminal; end with Ctrl-D")
    let number = 0
    let failed = 0
    const printChunk = (lines: Chunk.Chunk<string>) => {
      const data: Array<string> = []
      const notes: Array<string> = []
      for (const line of lines) {
        const result = handle(line)
        number++
        if (!result.ok) failed++
        if (out.json) data.push(JSON.stringify({ line: number, ok: result.ok, ...result.json() }))
        else {
          data.push(result.human() ?? "")
          if (result.note !== undefined) notes.push(`line ${number}: ${result.note}`)
        }
      }
      if (data.length === 0) return Effect.void
      // Human lines may be empty, so each keeps its terminator: the Console writes text that ends
      // with one as is.
      return Effect.zipRight(
        out.json ? out.jsonLines(data) : out.data(`${data.join("\n")}\n`),
        notes.length === 0 ? Effect.void : out.note(`${notes.join("\n")}\n`)
      )
    }
    yield* stdio.lines.pipe(
      Stream.runForEachChunk(printChunk),
      Effect.mapError((error) => new CliError.CommandFailed({ code: "StdinError", message: error.message }))
    )
    if (failed > 0) {
      if (!out.json) yield* out.note(`${failed} line${failed === 1 ? "" : "s"} failed`)
      return yield* new CliError.Reported({ exitCode: CliError.ExitCode.Failed })
    }
  })

/**
 * A command that takes one VALUE argument (a header) or, with `--stdin`, one per line: raw lines
 * (`--input text`, the default) or JSON strings (`--input jsonl`). Exactly one of VALUE and
 * `--stdin` must be given.
 *
 * @since 0.1.0
 * @category running
 */
export const runValueCommand = <E, R>(options: {
  readonly command: string
  readonly value: Option.Option<string>
  readonly stdin: boolean
  readonly input: Option.Option<InputFormat>
  readonly single: (value: string) => Effect.Effect<void, E, R>
  readonly line: (value: string) => LineResult
}): Effect.Effect<void, E | CliError.CliError, R | Stdio | Output> => {
  const what = "a header VALUE"
  if (Option.isSome(options.value) && options.stdin) {
    return Effect.fail(new CliError.UsageError({ message: `give ${what} or --stdin, not both` }))
  }
  if (Option.isSome(options.value)) return options.single(options.value.value)
  if (!options.stdin) {
    return Effect.fail(new CliError.UsageError({ message: `${what} is missing`, hint: `give ${what}, or --stdin to read one per line` }))
  }
  return Effect.flatMap(inputFormat(options.input, options.command, ["text", "jsonl"]), (format) =>
    run((text) => {
      if (format === "text") return options.line(text)
      const decoded = parseJsonLine(text)
      if (Either.isLeft(decoded)) return decoded.left
      return typeof decoded.right === "string"
        ? options.line(decoded.right)
        : invalidInput("InvalidInput", "each line must be a JSON string (the header value)")
    }))
}

// What kind of JSON error, without any of the input: V8's messages quote it ("Unexpected token 'o',
// \"not json\"... is not valid JSON"), so keep only the part before the first quote or comma.
const jsonErrorKind = (cause: unknown): string => {
  const message = cause instanceof Error ? cause.message : ""
  const kind = message.split(/[,"'(]/)[0]!.trim()
  return kind.length > 0 ? kind.toLowerCase() : "syntax error"
}
