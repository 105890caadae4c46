// The targets in languages other than TypeScript.
import { language as go } from "./emitGo.js"
import { language as kotlin } from "./emitKotlin.js"
import type { Language } from "./language.js"
import { language as python } from "./emitPython.js"

export const languages: Readonly<Record<"python" | "go" | "kotlin", Language>> = { python, go, kotlin }
