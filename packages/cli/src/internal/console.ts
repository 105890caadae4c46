/**
 * The Console the real binary runs with: `log` writes to stdout and `error` to stderr, each
 * stripped of ANSI codes when that stream gets no colour. @effect/cli writes its help with colour
 * codes unconditionally (effect-style.md §3.3), so stripping here is what makes `--no-color`,
 * `NO_COLOR` and pipes work for help too.
 *
 * @internal
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { format } from "node:util"
import { strip } from "./ansi.js"

/** @internal */
export const make = (options: { readonly stdoutColor: boolean; readonly stderrColor: boolean }): Console.Console => {
  const writer = (stream: NodeJS.WriteStream, color: boolean) => (...args: ReadonlyArray<unknown>) => {
    // A lone string is written as is: util.format would treat `%` sequences in it as directives.
    const text = args.length === 1 && typeof args[0] === "string" ? args[0] : format(...args)
    stream.write(`${color ? text : strip(text)}\n`)
  }
  const out = writer(process.stdout, options.stdoutColor)
  const err = writer(process.stderr, options.stderrColor)
  const unsafe: Console.UnsafeConsole = {
    assert: (condition, ...args) => {
      if (!condition) err(...args)
    },
    clear: () => {},
    count: () => {},
    countReset: () => {},
    debug: err,
    dir: (item) => err(item),
    dirxml: err,
    error: err,
    group: () => {},
    groupCollapsed: () => {},
    groupEnd: () => {},
    info: err,
    log: out,
    table: (data) => out(data),
    time: () => {},
    timeEnd: () => {},
    timeLog: () => {},
    trace: err,
    warn: err
  }
  const lift = <A extends ReadonlyArray<any>>(f: (...args: A) => void) => (...args: A) => Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: lift(unsafe.assert),
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: lift(err),
    dir: lift(unsafe.dir),
    dirxml: lift(err),
    error: lift(err),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(err),
    log: lift(out),
    table: lift(unsafe.table),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: lift(err),
    warn: lift(err),
    unsafe
  }
}
