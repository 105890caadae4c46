/**
 * The error for a spec that cannot be used: it lists every problem found, each with the JSON path
 * of the offending value and a plain sentence.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One problem in a spec.
 *
 * @since 0.1.0
 * @category models
 */
export const SpecIssue = Schema.Struct({
  /** A JSON path such as `$.transports[2].replacement`. */
  path: Schema.String,
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type SpecIssue = typeof SpecIssue.Type

/**
 * @since 0.1.0
 * @category errors
 */
export class SpecError extends Schema.TaggedError<SpecError>("@mbauth/codegen/SpecError")("SpecError", {
  /** The spec's file name, or whatever the caller named it. */
  source: Schema.String,
  /** "json" (not JSON at all), "schema" (wrong shape) or "semantic" (names that do not fit together). */
  stage: Schema.Literal("read", "json", "schema", "semantic"),
  issues: Schema.Array(SpecIssue)
}) {
  override get message(): string {
    return `${this.source}: ${this.issues.length} spec ${this.issues.length === 1 ? "error" : "errors"}\n` +
      this.issues.map((i) => `  at ${i.path}: ${i.message}`).join("\n")
  }
}

/**
 * Formats a path of keys and indexes as a JSON path.
 *
 * @since 0.1.0
 * @category utils
 */
export const jsonPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = "$"
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}
