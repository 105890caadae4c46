import * as Schema from "effect/Schema"

/** `--check` found files that do not match the spec. */
export class StaleFilesError extends Schema.TaggedError<StaleFilesError>("@mbauth/codegen/StaleFilesError")(
  "StaleFilesError",
  { paths: Schema.Array(Schema.String), hint: Schema.String }
) {
  override get message(): string {
    return `${this.paths.length} generated ${this.paths.length === 1 ? "file is" : "files are"} out of date; ${this.hint}`
  }
}
