/**
 * The output targets and the pure emitters behind them: each turns the IR (plus the runtime
 * template's text, for the TypeScript target) into one file's text.
 *
 * @since 0.1.0
 */
import type { Ir } from "./Ir.js"
import { emitEffect } from "./internal/emitEffect.js"
import { emitMarkdown } from "./internal/emitMarkdown.js"
import { emitTypeScript } from "./internal/emitTypeScript.js"
import { emitVectors } from "./internal/emitVectors.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Target = "typescript" | "effect" | "markdown" | "vectors"

/**
 * Every target, in the order files are produced.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<Target> = ["typescript", "effect", "markdown", "vectors"]

/**
 * One generated file: a path relative to the output directory, and its text.
 *
 * @since 0.1.0
 * @category models
 */
export interface GeneratedFile {
  readonly target: Target
  readonly path: string
  readonly content: string
}

/**
 * The file a target writes, relative to the output directory.
 *
 * @since 0.1.0
 * @category utils
 */
export const fileName = (ir: Ir, target: Target): string => {
  switch (target) {
    case "typescript":
      return `${ir.name}.ts`
    case "effect":
      return `${ir.name}Schema.ts`
    case "markdown":
      return `${ir.name}.md`
    case "vectors":
      return `${ir.name}.vectors.json`
  }
}

/**
 * Emits one target. Pure: the same IR and template give the same bytes. `templateRest` is the
 * runtime template after its tables region (see `Generate`).
 *
 * @since 0.1.0
 * @category emitters
 */
export const emit = (ir: Ir, target: Target, templateRest: string): GeneratedFile => {
  const path = fileName(ir, target)
  switch (target) {
    case "typescript":
      return { target, path, content: emitTypeScript(ir, templateRest) }
    case "effect":
      return { target, path, content: emitEffect(ir, ir.name) }
    case "markdown":
      return { target, path, content: emitMarkdown(ir) }
    case "vectors":
      return { target, path, content: emitVectors(ir) }
  }
}
