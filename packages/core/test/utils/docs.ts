/**
 * Keeping a document's examples and the test that runs them in step: every ```ts block of the
 * document must appear verbatim (white space aside) in the test file.
 */
import { assert } from "@effect/vitest"
import * as fs from "node:fs"

/** White space collapsed, so line breaks and indentation do not matter. */
export const normalise = (code: string): string => code.replace(/\s+/g, " ").trim()

/** The fenced blocks of `language` in a document. */
export const codeBlocks = (doc: string, language = "ts"): ReadonlyArray<string> =>
  [...doc.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!)

/** Asserts that the document has at least `minimum` ts blocks and that each is in `testFile`. */
export const assertBlocksIn = (document: URL, testFile: URL, minimum: number): void => {
  const blocks = codeBlocks(fs.readFileSync(document, "utf8"))
  assert.isAtLeast(blocks.length, minimum)
  const source = normalise(fs.readFileSync(testFile, "utf8"))
  for (const block of blocks) assert.include(source, normalise(block))
}
