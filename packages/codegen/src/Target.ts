/**
 * The output targets and the pure emitters behind them: each turns the IR into one file's text.
 *
 * @since 0.1.0
 */
import type { Ir } from "./Ir.js"
import { emitEffect } from "./internal/emitEffect.js"
import { emitMarkdown } from "./internal/emitMarkdown.js"
import { emitTypeScript } from "./internal/emitTypeScript.js"
import { emitVectors } from "./internal/emitVectors.js"
import * as targets from "./internal/targets.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Target = targets.Target

/**
 * Every target, in the order files are produced.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<Target> = targets.all

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
 * Where generated modules import the runtime from: the package, or (`--standalone`) the copy
 * written next to them.
 *
 * @since 0.1.0
 * @category constants
 */
export const runtimeImport = { package: "@mbauth/runtime", standalone: "./runtime.js" } as const

/**
 * Emits one target. Pure: the same IR and options give the same bytes.
 *
 * @since 0.1.0
 * @category emitters
 */
export const emit = (ir: Ir, target: Target, options?: { readonly standalone?: boolean }): GeneratedFile => {
  const path = fileName(ir, target)
  switch (target) {
    case "typescript": {
      const runtime = options?.standalone === true ? runtimeImport.standalone : runtimeImport.package
      return { target, path, content: emitTypeScript(ir, runtime) }
    }
    case "effect":
      return { target, path, content: emitEffect(ir, ir.name) }
    case "markdown":
      return { target, path, content: emitMarkdown(ir) }
    case "vectors":
      return { target, path, content: emitVectors(ir) }
  }
}
