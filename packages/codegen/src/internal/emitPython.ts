// The `python` target. (Skeleton from the polyglot-base branch: replaced by the python work.)
import type { Language } from "./language.js"

export const language: Language = {
  fileName: (ir) => `${ir.name}.python`,
  emit: (ir) => `${ir.name}\n`,
  runtime: []
}
