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
 * A Console over two line writers.
 *
 * @internal
 */
export const fromWriters = (out: (line: string) => void, err: (line: string) => void): Console.Console => {
  const toOut = (...args: ReadonlyArray<unknown>) => out(text(args))
  const toErr = (...args: ReadonlyArray<unknown>) => err(text(args))
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
  const lift = <A extends ReadonlyArray<any>>(f: (...args: A) => void) => (...args: A) => Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: lift(unsafe.assert),
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: lift(toErr),
    dir: lift(unsafe.dir),
    dirxml: lift(toErr),
    error: lift(toErr),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(toErr),
    log: lift(toOut),
    table: lift(unsafe.table),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: lift(toErr),
    warn: lift(toErr),
    unsafe
  }
}

/**
 * The Console the real binary runs with. Each stream is stripped of ANSI codes when it gets no
 * colour: @effect/cli writes its help with colour codes unconditionally (effect-style.md §3.3), so
 * stripping here is what makes `--no-color`, `NO_COLOR` and pipes work for help too.
 *
 * @internal
 */
export const make = (options: { readonly stdoutColor: boolean; readonly stderrColor: boolean }): Console.Console => {
  const writer = (stream: NodeJS.WriteStream, color: boolean) => (line: string) => {
    StatusLine.clear()
    stream.write(`${color ? line : strip(line)}\n`)
  }
  return fromWriters(writer(process.stdout, options.stdoutColor), writer(process.stderr, options.stderrColor))
}
