/**
 * The `mbauth` executable (bundled to dist/bin.mjs; the bundler adds the shebang).
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { isatty } from "node:tty"
import * as Cli from "./Cli.js"
import { ExitCode } from "./CliError.js"
import { colorEnabled } from "./internal/ansi.js"
import * as NodeConsole from "./internal/console.js"
import * as StderrTerminal from "./internal/terminal.js"
import * as Stdio from "./Stdio.js"

// Colour is decided before parsing, because @effect/cli prints help and usage errors itself.
const colorFor = (fd: number) =>
  colorEnabled({ isTTY: isatty(fd), env: process.env, noColorFlag: process.argv.includes("--no-color") })

const MainLive = Layer.mergeAll(
  NodeFileSystem.layer,
  NodePath.layer,
  StderrTerminal.layer,
  Stdio.layerNode,
  Console.setConsole(NodeConsole.make({ stdoutColor: colorFor(1), stderrColor: colorFor(2) }))
)

Cli.run(process.argv).pipe(
  Effect.provide(MainLive),
  // Errors are rendered by Cli.run; runMain's own reporting would print them again, on stdout.
  NodeRuntime.runMain({
    disableErrorReporting: true,
    disablePrettyLogger: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit)
          ? (exit.value as number)
          : Cause.isInterruptedOnly(exit.cause)
          ? ExitCode.Interrupted
          : ExitCode.Failed
      )
  })
)
