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
import { languages } from "./internal/languages.js"
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
 * The targets emitted when none is named: TypeScript, its Effect Schema, the reference page and
 * the vectors. The other languages are emitted when named.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: ReadonlyArray<Target> = targets.defaults

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
    case "python":
    case "go":
    case "kotlin":
      return languages[target].fileName(ir)
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
    case "python":
    case "go":
    case "kotlin":
      return { target, path, content: languages[target].emit(ir) }
  }
}

/**
 * A runtime file a target writes next to its module: copied from `source` (a file under the
 * codegen package's `runtimes` folder, or the TypeScript runtime for `--standalone`) and rendered.
 *
 * @since 0.1.0
 * @category models
 */
export interface RuntimeCopy {
  readonly target: Target
  readonly path: string
  readonly source: { readonly _tag: "TypeScript" } | { readonly _tag: "File"; readonly path: string } | { readonly _tag: "None" }
  readonly render: (source: string) => string
}

/**
 * The runtime files a target writes next to its module: for TypeScript a copy of the runtime only
 * with `standalone`; for the other languages, always, since they have no package to import.
 *
 * @since 0.1.0
 * @category emitters
 */
export const runtimeCopies = (ir: Ir, target: Target, options?: { readonly standalone?: boolean }): ReadonlyArray<RuntimeCopy> => {
  switch (target) {
    case "typescript":
      return options?.standalone === true
        ? [{
          target,
          path: "runtime.ts",
          source: { _tag: "TypeScript" },
          render: (text) => `// Copied by @mbauth/codegen from @mbauth/runtime. DO NOT EDIT.\n${text}`
        }]
        : []
    case "effect":
    case "markdown":
    case "vectors":
      return []
    case "python":
    case "go":
    case "kotlin":
      return languages[target].runtime.map((copy) => ({
        target,
        path: copy.path(ir),
        source: copy.source === undefined ? { _tag: "None" } : { _tag: "File", path: copy.source },
        render: (text) => copy.render(text, ir)
      }))
  }
}
