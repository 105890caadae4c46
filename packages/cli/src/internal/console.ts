/**
 * Consoles that write lines: `log` to one writer (stdout), everything for the human (`error`,
 * `warn`, `info`, `debug`, `trace`) to another (stderr). The real binary writes to the process
 * streams ({@link make}); the tests record lines with the same shape.
 *
 * @internal
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { format } from "node:util"
import { strip } from "./ansi.js"
import * as OutputStream from "./outputStream.js"
import * as StatusLine from "./statusLine.js"

// A lone string is written as is: util.format would treat `%` sequences in it as directives. One
// trailing newline is dropped, since the writer ends every line: @effect/cli's version and help
// text (and a generated file printed whole) already end with one, and would otherwise be followed
// by an empty line.
const text = (args: ReadonlyArray<unknown>) => {
  const s = args.length === 1 && typeof args[0] === "string" ? args[0] : format(...args)
  return s.endsWith("\n") ? s.slice(0, -1) : s
}

/**
 * A line writer: `write` for the Console's effects (it may wait, see `outputStream.ts`),
 * `unsafeWrite` for its `unsafe` methods.
 *
 * @internal
 */
export interface Writer {
  readonly write: (line: string) => Effect.Effect<void>
  readonly unsafeWrite: (line: string) => void
}

/**
 * A {@link Writer} that hands each line to a function and never waits.
 *
 * @internal
 */
export const syncWriter = (f: (line: string) => void): Writer => ({
  write: (line) => Effect.sync(() => f(line)),
  unsafeWrite: f
})

/**
 * A Console over two line writers.
 *
 * @internal
 */
export const fromWriters = (out: Writer, err: Writer): Console.Console => {
  const toOut = (...args: ReadonlyArray<unknown>) => out.unsafeWrite(text(args))
  const toErr = (...args: ReadonlyArray<unknown>) => err.unsafeWrite(text(args))
  const writeOut = (...args: ReadonlyArray<unknown>) => out.write(text(args))
  const writeErr = (...args: ReadonlyArray<unknown>) => err.write(text(args))
  const noop = () => {}
  const unsafe: Console.UnsafeConsole = {
    assert: (condition, ...args) => {
      if (!condition) toErr(...args)
    },
    clear: noop,
    count: noop,
    countReset: noop,
    debug: toErr,
    dir: (item) => toErr(item),
    dirxml: toErr,
    error: toErr,
    group: noop,
    groupCollapsed: noop,
    groupEnd: noop,
    info: toErr,
    log: toOut,
    table: (data) => toOut(data),
    time: noop,
    timeEnd: noop,
    timeLog: noop,
    trace: toErr,
    warn: toErr
  }
  return {
    [Console.TypeId]: Console.TypeId,
    assert: (condition, ...args) => (condition ? Effect.void : writeErr(...args)),
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: writeErr,
    dir: (item) => writeErr(item),
    dirxml: writeErr,
    error: writeErr,
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: writeErr,
    log: writeOut,
    table: (data) => writeOut(data),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: writeErr,
    warn: writeErr,
    unsafe
  }
}

/**
 * The Console the real binary runs with, over the process streams of `outputStream.ts` (bounded
 * memory, quiet end on a closed pipe, flushed before exit). Each stream is stripped of ANSI codes
 * when it gets no colour: @effect/cli writes its help with colour codes unconditionally
 * (effect-style.md §3.3), so stripping here is what makes `--no-color`, `NO_COLOR` and pipes work
 * for help too.
 *
 * @internal
 */
export const make = (options: { readonly stdoutColor: boolean; readonly stderrColor: boolean }): Console.Console => {
  const streams = OutputStream.processStreams()
  const writer = (stream: OutputStream.OutputStream, color: boolean): Writer => {
    const line = (text: string) => `${color ? text : strip(text)}\n`
    // A status line being drawn is cleared first, so the line does not land behind it.
    return {
      write: (text) => Effect.zipRight(Effect.sync(StatusLine.clear), stream.write(line(text))),
      unsafeWrite: (text) => {
        StatusLine.clear()
        stream.unsafeWrite(line(text))
      }
    }
  }
  return fromWriters(writer(streams.stdout, options.stdoutColor), writer(streams.stderr, options.stderrColor))
}
