// The target names, apart from the emitters, so that the command line can list them without
// loading the generator.

/** @internal */
export type Target = "typescript" | "effect" | "markdown" | "vectors"

/** @internal */
export const all: ReadonlyArray<Target> = ["typescript", "effect", "markdown", "vectors"]
