/**
 * Options shared by several commands.
 *
 * @internal
 */
import * as Options from "@effect/cli/Options"
import * as Tables from "./tables.js"

/** `--profile P`: one server profile instead of all. @internal */
export const profile = Options.choice("profile", Tables.profileNames).pipe(
  Options.optional,
  Options.withDescription("Show only this server profile (default: every profile).")
)

/** `--header-name`: the scheme header a value is sent in. @internal */
export const headerName = (description: string) =>
  Options.choice("header-name", Tables.schemeHeaderNames).pipe(
    Options.withDefault("Authorization" as const),
    Options.withDescription(description)
  )
