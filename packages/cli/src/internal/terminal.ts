/**
 * The Terminal prompts run on. It is Node's terminal with one change: prompts are drawn on stderr,
 * not stdout, so a prompt never ends up in data a script reads from stdout (effect-style.md §3.3).
 *
 * @internal
 */
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as PlatformError from "@effect/platform/Error"
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** @internal */
export const layer: Layer.Layer<Terminal.Terminal> = Layer.scoped(
  Terminal.Terminal,
  Effect.map(NodeTerminal.make(), (terminal) =>
    Terminal.Terminal.of({
      ...terminal,
      columns: Effect.sync(() => process.stderr.columns ?? 0),
      rows: Effect.sync(() => process.stderr.rows ?? 0),
      isTTY: Effect.sync(() => Boolean(process.stderr.isTTY)),
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
    }))
)
