import * as Effect from "effect/Effect"

/** @internal */
export const run = (_args: unknown) => Effect.void
