// What a target in another language provides: its module for a spec, and the runtime files it
// copies next to that module (the runtime is written once per language, in packages/codegen/runtimes).
import type { Ir } from "../Ir.js"

/** A file written next to the generated module. */
export interface RuntimeCopy {
  /** The path in the output directory, for a spec (Python's runtime goes into the package folder named after it). */
  readonly path: (ir: Ir) => string
  /** The runtime file it is copied from, relative to packages/codegen/runtimes; none for a file made from the spec alone. */
  readonly source?: string
  /** The file's text, from the source's text ("" without a source), e.g. with the spec's package name set. */
  readonly render: (source: string, ir: Ir) => string
}

/** One language target. */
export interface Language {
  /** The module's path in the output directory. */
  readonly fileName: (ir: Ir) => string
  /** The module: the spec's tables, types and docs, bound to the runtime. */
  readonly emit: (ir: Ir) => string
  /** The runtime files copied next to the module. */
  readonly runtime: ReadonlyArray<RuntimeCopy>
}
