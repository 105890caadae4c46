/**
 * A one-line spinner with a countdown on stderr while a command waits for a person (PIN,
 * Quick Connect). Drawn only when stderr is a terminal; the line is cleared when the wait ends,
 * however it ends (Ctrl-C included).
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { Stdio } from "../Stdio.js"
import * as StatusLine from "./statusLine.js"

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/** `m:ss`. @internal */
export const clock = (millis: number): string => {
  const seconds = Math.max(0, Math.ceil(millis / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`
}

/** Runs `effect` with a spinner showing `label()` next to it. @internal */
export const withSpinner = <A, E, R>(
  label: () => string,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | Stdio> =>
  Effect.flatMap(Stdio, (stdio) => {
    if (!stdio.isTTY.stderr) return effect
    let frame = 0
    const draw = Effect.sync(() => StatusLine.draw(`${frames[frame++ % frames.length]} ${label()}`))
    const clear = Effect.sync(StatusLine.clear)
    return Effect.scoped(
      Effect.gen(function*() {
        yield* Effect.addFinalizer(() => clear)
        yield* Effect.forkScoped(Effect.forever(Effect.zipRight(draw, Effect.sleep(Duration.millis(100)))))
        return yield* effect
      })
    )
  })
