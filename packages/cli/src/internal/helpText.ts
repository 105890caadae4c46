/**
 * Help pages rendered when the CLI is built, so that `mbauth --help` does not lay them out on every
 * start. Laying out a page with @effect/printer is most of what `--help` used to cost: the root
 * page took about 190 ms of a 610 ms profile (BENCHMARKS.md, row 6).
 *
 * A page depends only on the command line: @effect/cli lays help out at a fixed width of 80
 * columns (not the terminal's), with colour codes always, and our Console strips them when the
 * stream gets no colour (see `console.ts`). So the build records, for each command line that is
 * exactly a help request (`--help`, `header parse -h`, a bare group…), the bytes the live program
 * writes to stdout with colour on ({@link Pages}); the launcher (`src/bin.ts`) serves them for
 * exactly those command lines and runs the program for anything else. A test renders every page
 * live and compares it byte for byte with the stored one.
 *
 * This module is loaded by the launcher before anything else, so it imports nothing heavy.
 *
 * @internal
 */
import { strip } from "./ansi.js"

/**
 * The stored pages: each distinct text once, and the command lines that print it (arguments after
 * the runtime and script, joined by single spaces; see {@link key}).
 *
 * @internal
 */
export interface Pages {
  readonly texts: ReadonlyArray<string>
  readonly commandLines: Readonly<Record<string, number>>
}

/**
 * The lookup key of a command line: its arguments joined by spaces. Command lines with an argument
 * that is empty or holds white space get no key (they could not be told apart once joined), and
 * so always run the program.
 *
 * @internal
 */
export const key = (args: ReadonlyArray<string>): string | undefined =>
  args.length <= 3 && args.every((arg) => arg !== "" && !/\s/.test(arg)) ? args.join(" ") : undefined

/**
 * Whether a command line has the shape of a stored help request: no arguments, one (`--help`, a
 * bare group), or ending in `--help` or `-h` (the shapes `helpRender.commandLines` stores). Any
 * other command line runs the program without the pages being read.
 *
 * @internal
 */
export const isHelpShaped = (args: ReadonlyArray<string>): boolean =>
  args.length <= 1 || args[args.length - 1] === "--help" || args[args.length - 1] === "-h"

/**
 * The bytes the program would write to stdout for this command line, if it is a stored help
 * request; otherwise `undefined`. `color` is whether stdout gets colour (`ansi.colorEnabled`, as
 * the program decides it): without colour the codes are stripped, as the program's Console does.
 *
 * @internal
 */
export const lookup = (pages: Pages, args: ReadonlyArray<string>, color: boolean): string | undefined => {
  const k = key(args)
  if (k === undefined || !Object.hasOwn(pages.commandLines, k)) return undefined
  const text = pages.texts[pages.commandLines[k]!]
  if (text === undefined) return undefined
  return color ? text : strip(text)
}
