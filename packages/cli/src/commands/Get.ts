/**
 * `mbauth get SERVER PATH`: an authenticated GET with a saved sign-in, the JSON body on stdout.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import { serverOrDefault, user } from "./Server.js"

const getConfig = {
  server: serverOrDefault,
  path: Args.text({ name: "PATH" }).pipe(Args.withDescription("The API path, e.g. /Users/Me or /System/Info (query allowed).")),
  user
}

/**
 * @since 0.1.0
 * @category models
 */
export type GetArgs = Command.Command.ParseConfig<typeof getConfig>

/**
 * `mbauth get`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Action.make("get", getConfig, (args) => Action.load(() => import("../internal/get.js"), (m) => m.run(args))).pipe(
  Command.withDescription("An authenticated GET on a saved server, printing the JSON body: the quickest check that a sign-in works. `mbauth api` sends any method and body, shows the headers, and prints the body of an error answer.")
)

/**
 * Examples of `get` (run against the sandbox by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  get: {
    examples: [
      { command: "mbauth get 'Sandbox Jellyfin 12' /Users/Me", description: "Who the saved sign-in is" },
      { command: "mbauth get 'Sandbox Jellyfin 12' /System/Info/Public --user bob", description: "As a given user" }
    ]
  }
}
