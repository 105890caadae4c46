/**
 * `mbauth auth status|token`: who is signed in where, and the token of a sign-in for scripts.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import { serverOrDefault, user } from "./Server.js"

const statusConfig = {
  check: Options.boolean("check").pipe(
    Options.withDescription("Ask each server whether the saved token is still accepted (one request per sign-in).")
  )
}

/**
 * @since 0.1.0
 * @category models
 */
export type StatusArgs = Command.Command.ParseConfig<typeof statusConfig>

const tokenConfig = { server: serverOrDefault, user }

/**
 * @since 0.1.0
 * @category models
 */
export type TokenArgs = Command.Command.ParseConfig<typeof tokenConfig>

const load = () => import("../internal/auth.js")

/**
 * @since 0.1.0
 * @category commands
 */
export const status = Action.make("status", statusConfig, (args) => Action.load(load, (m) => m.status(args))).pipe(
  Command.withDescription("Who is signed in to Emby Connect and to each saved server; tokens stay masked.")
)

/**
 * @since 0.1.0
 * @category commands
 */
export const token = Action.make("token", tokenConfig, (args) => Action.load(load, (m) => m.token(args))).pipe(
  Command.withDescription("Print the saved token of a sign-in, for scripts (it is a password: keep it out of logs).")
)

/**
 * Examples of the `auth` commands (run against the sandbox by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  auth: {
    examples: [{ command: "mbauth auth status", description: "Who is signed in where" }]
  },
  "auth status": {
    examples: [
      { command: "mbauth auth status", description: "From the saved sign-ins, without asking any server" },
      { command: "mbauth auth status --check", description: "Also ask each server whether its token still works" }
    ]
  },
  "auth token": {
    examples: [
      {
        command: "curl -fsS -H \"Authorization: MediaBrowser Token=$(mbauth auth token)\" http://127.0.0.1:8096/Users/Me",
        description: "Use the default server's sign-in from another program"
      }
    ]
  }
}

/**
 * `mbauth auth`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("auth").pipe(
  Command.withDescription("The saved sign-ins: who is signed in where, and their tokens for scripts."),
  Command.withSubcommands([status, token])
)
