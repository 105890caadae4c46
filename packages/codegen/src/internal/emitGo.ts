// The `go` target. (Skeleton from the polyglot-base branch: replaced by the go work.)
import type { Language } from "./language.js"

export const language: Language = {
  fileName: (ir) => `${ir.name}.go`,
  emit: (ir) => `${ir.name}\n`,
  runtime: []
}
