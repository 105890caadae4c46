/**
 * The `mbauth` program, bundled to dist/mbauth.cjs. The executable, dist/bin.mjs (`bin.ts`), loads
 * it and calls {@link main}; the build calls {@link commandSpec}.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { isatty } from "node:tty"
import * as Cli from "./Cli.js"
import { ExitCode } from "./CliError.js"
import { colorEnabled, colorModeOf } from "./internal/ansi.js"
import * as NodeConsole from "./internal/console.js"
import { programEnvironment } from "./internal/environment.js"
import * as OutputStream from "./internal/outputStream.js"
import type * as Spec from "./internal/commandSpec.js"
import * as Stdio from "./Stdio.js"

/**
 * Runs `process.argv` and exits with its exit code.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (): void => {
  // Colour is decided before parsing, because @effect/cli prints help and usage errors itself.
  // bin.ts decides it the same way for the help pages it serves.
  const colorFor = (fd: number) =>
    colorEnabled({ isTTY: isatty(fd), env: process.env, mode: colorModeOf(process.argv.slice(2)) })

  const MainLive = programEnvironment(
    Stdio.layerNode,
    Console.setConsole(NodeConsole.make({ stdoutColor: colorFor(1), stderrColor: colorFor(2) }))
  )

  Cli.run(process.argv).pipe(
    Effect.provide(MainLive),
    // Errors are rendered by Cli.run; runMain's own reporting would print them again, on stdout.
    NodeRuntime.runMain({
      disableErrorReporting: true,
      disablePrettyLogger: true,
      // runMain ends a non-zero exit with process.exit, which drops writes still queued on a pipe:
      // the exit waits until everything written has left the process.
      teardown: (exit, onExit) => {
        const { stderr, stdout } = OutputStream.processStreams()
        void Promise.all([stdout.flushed(), stderr.flushed()]).then(() =>
          onExit(
            stdout.isClosed()
              ? OutputStream.ExitCode
              : Exit.isSuccess(exit)
              ? (exit.value as number)
              : Cause.isInterruptedOnly(exit.cause)
              ? ExitCode.Interrupted
              : ExitCode.Failed
          )
        )
      }
    })
  )
}

/**
 * The command tree as data, read off the commands (the build stores it in dist/commands.json for
 * `bin.ts` to answer help and completion requests from).
 *
 * @since 0.1.0
 * @category running
 */
export const commandSpec = (): Spec.ProgramSpec => Cli.app.spec()
