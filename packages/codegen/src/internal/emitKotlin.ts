// The `kotlin` target. (Skeleton from the polyglot-base branch: replaced by the kotlin work.)
import type { Language } from "./language.js"

export const language: Language = {
  fileName: (ir) => `${ir.name}.kotlin`,
  emit: (ir) => `${ir.name}\n`,
  runtime: []
}
