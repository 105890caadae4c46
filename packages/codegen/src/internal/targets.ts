// The target names, apart from the emitters, so that the command line can list them without
// loading the generator.

/** @internal */
export type Target = "typescript" | "effect" | "markdown" | "vectors" | "python" | "go" | "kotlin"

/** @internal */
export const all: ReadonlyArray<Target> = ["typescript", "effect", "markdown", "vectors", "python", "go", "kotlin"]

/** @internal The targets written when none is named: the TypeScript family, its docs and vectors. */
export const defaults: ReadonlyArray<Target> = ["typescript", "effect", "markdown", "vectors"]
