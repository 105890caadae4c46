/**
 * Renders the stored help pages ({@link HelpText.Pages}) by running the real program on each help
 * command line and recording what it writes. The build calls it through the bundle
 * (`main.ts`'s `helpPages`), so the pages come from the very code that would print them live.
 *
 * @internal
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Cli from "../Cli.js"
import * as Stdio from "../Stdio.js"
import * as Argv from "./argv.js"
import { fromWriters, syncWriter } from "./console.js"
import { programEnvironment } from "./environment.js"
import * as HelpText from "./helpText.js"

/**
 * The command lines that ask for help and nothing else: `--help` and `-h` on the program, on every
 * group and on every command, plus the program and each group named alone (which print their help
 * too).
 *
 * @internal
 */
export const commandLines = (tree: Argv.Tree): ReadonlyArray<ReadonlyArray<string>> => {
  const help = (path: ReadonlyArray<string>) => [[...path, "--help"], [...path, "-h"]]
  const lines: Array<ReadonlyArray<string>> = [[], ...help([])]
  for (const [group, children] of Object.entries(tree)) {
    const names = Object.keys(children)
    if (names.length > 0) lines.push([group])
    lines.push(...help([group]))
    for (const name of names) lines.push(...help([group, name]))
  }
  return lines
}

/**
 * Runs one command line and returns exactly what it wrote to stdout, colour codes included. Fails
 * when the command line is not a plain help request (a non-zero exit or anything on stderr), so a
 * page that would not be served identically is never stored.
 *
 * @internal
 */
export const render = (app: Cli.App, args: ReadonlyArray<string>): Effect.Effect<string, Error> =>
  Effect.gen(function*() {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const env = programEnvironment(
      Stdio.layerTest(),
      // The writers of console.ts's `make`, with colour on: each call is one line.
      Console.setConsole(fromWriters(syncWriter((line) => stdout.push(`${line}\n`)), syncWriter((line) => stderr.push(`${line}\n`))))
    )
    const exitCode = yield* app.run(["node", "mbauth", ...args]).pipe(Effect.provide(env))
    if (exitCode !== 0 || stderr.length > 0) {
      return yield* Effect.fail(
        new Error(`mbauth ${args.join(" ")}: exit ${exitCode}, stderr ${JSON.stringify(stderr.join(""))}`)
      )
    }
    return stdout.join("")
  })

/**
 * Every help page of a program made of `groups`, each distinct text stored once.
 *
 * @internal
 */
export const renderAll = (
  app: Cli.App,
  groups: ReadonlyArray<Parameters<typeof Argv.treeOf>[0][number]>
): Effect.Effect<HelpText.Pages, Error> =>
  Effect.gen(function*() {
    const texts: Array<string> = []
    const stored: Record<string, number> = {}
    for (const args of commandLines(Argv.treeOf(groups))) {
      const k = HelpText.key(args)
      if (k === undefined) return yield* Effect.fail(new Error(`mbauth ${args.join(" ")}: a command name with white space`))
      const text = yield* render(app, args)
      const index = texts.indexOf(text)
      stored[k] = index < 0 ? texts.push(text) - 1 : index
    }
    return { texts, commandLines: stored }
  })
