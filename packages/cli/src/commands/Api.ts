/**
 * `mbauth api SERVER PATH`: any request on a saved server, signed for its saved user, in the spirit
 * of `gh api`. `get` is its shorthand for a GET whose answer must be 2xx.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import { serverOrDefault, user } from "./Server.js"

/**
 * The methods `api` sends.
 *
 * @since 0.1.0
 * @category constants
 */
export const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const

const apiConfig = {
  server: serverOrDefault,
  path: Args.text({ name: "PATH" }).pipe(
    Args.withDescription("A path on the saved server, e.g. /Users/Me or /Items?Limit=5 (an absolute URL is refused: the token would go there).")
  ),
  method: Options.choice("method", methods).pipe(
    Options.withAlias("X"),
    Options.optional,
    Options.withDescription("The HTTP method (default: GET, or POST with -f or --input).")
  ),
  fields: Options.text("field").pipe(
    Options.withAlias("f"),
    Options.withPseudoName("KEY=VALUE"),
    Options.repeated,
    Options.withDescription("A key=value parameter (repeatable): in the query of a GET, HEAD or DELETE, else a JSON object body of strings.")
  ),
  input: Options.file("input").pipe(
    Options.optional,
    Options.withDescription("Send this file as the body (- for standard input); Content-Type application/json when it is JSON.")
  ),
  include: Options.boolean("include").pipe(
    Options.withAlias("i"),
    Options.withDescription("Print the status line and the response headers (secrets masked) before the body.")
  ),
  output: Options.file("output").pipe(
    Options.withAlias("o"),
    Options.optional,
    Options.withDescription("Write the body to this file, as received: the only way to save a binary body (an image, a stream).")
  ),
  user
}

/**
 * @since 0.1.0
 * @category models
 */
export type ApiArgs = Command.Command.ParseConfig<typeof apiConfig>

/**
 * `mbauth api`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Action.make("api", apiConfig, (args) => Action.load(() => import("../internal/api.js"), (m) => m.run(args))).pipe(
  Command.withDescription(
    "Any request on a saved server, signed for the saved user: the body on stdout (JSON laid out on a terminal, one line when piped), and for an answer that is not 2xx the body too, then exit 1."
  )
)

/**
 * Examples of `api` (run against the sandbox by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  api: {
    examples: [
      { command: "mbauth api 'Sandbox Jellyfin 12' /Users/Me", description: "GET, the JSON body laid out" },
      { command: "mbauth api 'Sandbox Jellyfin 12' /System/Info -i", description: "The status line and headers too" },
      {
        command: "mbauth api 'Sandbox Jellyfin 12' '/QuickConnect/Authorize?code=123456' -X POST || echo 'no device shows 123456'",
        description: "A POST (an answer that is not 2xx: its body is printed, and the exit code is 1)"
      },
      { command: "mbauth api 'Sandbox Jellyfin 12' /System/Info | head -c 60", description: "Piped: one line of JSON" },
      { command: "mbauth api 'Sandbox Jellyfin 12' /System/Info -o info.json", description: "Write the body to a file, as received" }
    ]
  }
}
