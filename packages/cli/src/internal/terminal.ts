/**
 * The Terminal prompts run on. It is Node's terminal with one change: prompts are drawn on stderr,
 * not stdout, so a prompt never ends up in data a script reads from stdout (effect-style.md §3.3).
 *
 * @internal
 */
import * as PlatformError from "@effect/platform/Error"
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"

/** @internal */
export const layer: Layer.Layer<Terminal.Terminal> = Layer.scoped(
  Terminal.Terminal,
  Effect.gen(function*() {
    // Node's terminal takes process.stdin and loads node:readline when it is made, which every
    // start would pay for; only prompts read from it, so it is made on the first read, in this
    // layer's scope (which closes it).
    const scope = yield* Effect.scope
    const node = yield* Effect.cached(
      Effect.promise(() => import("@effect/platform-node/NodeTerminal")).pipe(
        Effect.flatMap((NodeTerminal) => Scope.extend(NodeTerminal.make(), scope))
      )
    )
    return Terminal.Terminal.of({
      columns: Effect.sync(() => process.stderr.columns ?? 0),
      rows: Effect.sync(() => process.stderr.rows ?? 0),
      isTTY: Effect.sync(() => Boolean(process.stderr.isTTY)),
      readInput: Effect.flatMap(node, (terminal) => terminal.readInput),
      readLine: Effect.flatMap(node, (terminal) => terminal.readLine),
      display: (text) =>
        Effect.async<void, PlatformError.PlatformError>((resume) => {
          process.stderr.write(text, (cause) =>
            resume(
              cause
                ? Effect.fail(
                  new PlatformError.BadArgument({
                    module: "Terminal",
                    method: "display",
                    description: "cannot write the prompt to stderr",
                    cause
                  })
                )
                : Effect.void
            ))
        }).pipe(Effect.uninterruptible)
    })
  })
)
