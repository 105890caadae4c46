/**
 * The error for a missing or damaged runtime source (for `--standalone`): an installation problem, not a spec one.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category errors
 */
export class TemplateError extends Schema.TaggedError<TemplateError>("@mbauth/codegen/TemplateError")("TemplateError", {
  reason: Schema.String
}) {
  override get message(): string {
    return `@mbauth/codegen is damaged: ${this.reason}`
  }
}
