// Runs `mbauth` in-process, as a user would type it, and captures what it printed and its exit code.
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cli from "../../src/Cli.js"
import { strip } from "../../src/internal/ansi.js"
import * as Stdio from "../../src/Stdio.js"
import * as MockConsole from "../services/MockConsole.js"
import * as MockTerminal from "../services/MockTerminal.js"

export interface RunOptions {
  /** Standard input. */
  readonly stdin?: string
  readonly isTTY?: Partial<Stdio.TtyState>
  /** The environment the command sees (nothing from the real one). */
  readonly env?: Readonly<Record<string, string>>
  /** The program to run (default: the real `mbauth`). */
  readonly app?: Cli.App
  /** Drives prompts: runs while the command runs. */
  readonly terminal?: (terminal: MockTerminal.MockTerminal) => Effect.Effect<void>
}

export interface RunResult {
  readonly exitCode: number
  /** stdout and stderr with ANSI codes stripped (@effect/cli colours its help unconditionally). */
  readonly stdout: string
  readonly stderr: string
  /** stdout as written. */
  readonly rawStdout: string
  /** What prompts drew on the terminal. */
  readonly displayed: string
}

const lines = (xs: ReadonlyArray<string>) => (xs.length === 0 ? "" : `${xs.join("\n")}\n`)

export const run = (args: ReadonlyArray<string>, options: RunOptions = {}): Effect.Effect<RunResult> =>
  Effect.scoped(
    Effect.gen(function*() {
      const console = MockConsole.make()
      const terminal = yield* MockTerminal.make
      const env = Layer.mergeAll(
        NodeFileSystem.layer,
        NodePath.layer,
        MockTerminal.layer(terminal),
        Stdio.layerTest({
          ...(options.stdin !== undefined ? { input: options.stdin } : {}),
          ...(options.isTTY !== undefined ? { isTTY: options.isTTY } : {})
        }),
        Console.setConsole(console),
        Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {}))))
      )
      if (options.terminal !== undefined) yield* Effect.forkScoped(options.terminal(terminal))
      const exitCode = yield* (options.app ?? Cli.app).run(["node", "mbauth", ...args]).pipe(Effect.provide(env))
      return {
        exitCode,
        stdout: strip(lines(console.stdout)),
        stderr: strip(lines(console.stderr)),
        rawStdout: lines(console.stdout),
        displayed: strip(terminal.displayed.join(""))
      }
    })
  )
