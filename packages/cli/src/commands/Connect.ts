/**
 * `mbauth connect login|pin|servers|logout`: Emby Connect. `MBAUTH_CONNECT_URL` points the
 * commands at another Connect service (the sandbox's, for instance).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Option from "effect/Option"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import * as Secret from "../Secret.js"

const loginConfig = {
  user: Options.text("user").pipe(
    Options.withPseudoName("NAME"),
    Options.withDescription("The Emby Connect user name or e-mail address.")
  ),
  passwordStdin: Secret.stdinFlag("password", "MBAUTH_PASSWORD")
}

/**
 * @since 0.1.0
 * @category models
 */
export type LoginArgs = Command.Command.ParseConfig<typeof loginConfig>

const MINIMUM_INTERVAL = 0.001
const MAXIMUM_INTERVAL = 60

/**
 * The poll interval of the commands that wait for a person (PIN, Quick Connect).
 *
 * @since 0.1.0
 * @category options
 */
export const interval = (seconds: number) =>
  Options.float("interval").pipe(
    Options.withPseudoName("SECONDS"),
    Options.withDefault(seconds),
    // Zero, negative and NaN intervals polled as fast as the service answered; core checks the
    // interval too, with a floor of 1 second for a service on another machine.
    Options.filterMap(
      (value) => Option.liftPredicate(value, (v) => Number.isFinite(v) && v >= MINIMUM_INTERVAL && v <= MAXIMUM_INTERVAL),
      `--interval must be a number of seconds from ${MINIMUM_INTERVAL} to ${MAXIMUM_INTERVAL} (at least 1 for a service on another machine)`
    ),
    Options.withDescription("Seconds between two status polls (1 to 60 for a service on another machine).")
  )

/**
 * `--local`: forget a sign-in here only, when the service that would revoke it cannot be reached.
 *
 * @since 0.1.0
 * @category options
 */
export const localOption = (service: string) =>
  Options.boolean("local").pipe(
    Options.withDescription(
      `Forget the sign-in here without telling ${service} (when it cannot be reached); the token stays valid there until it is revoked.`
    )
  )

const pinConfig = { interval: interval(3) }

/**
 * @since 0.1.0
 * @category models
 */
export type PinArgs = Command.Command.ParseConfig<typeof pinConfig>

const load = () => import("../internal/connect.js")

/**
 * @since 0.1.0
 * @category commands
 */
export const login = Action.make("login", loginConfig, (args) => Action.load(load, (m) => m.login(args))).pipe(
  Command.withDescription("Sign in to Emby Connect with a name or e-mail and a password (hidden prompt, --password-stdin or MBAUTH_PASSWORD).")
)

/**
 * @since 0.1.0
 * @category commands
 */
export const pin = Action.make("pin", pinConfig, (args) => Action.load(load, (m) => m.pin(args))).pipe(
  Command.withDescription("Sign in to Emby Connect with a PIN entered on the website; waits until it is confirmed (Ctrl-C stops).")
)

/**
 * @since 0.1.0
 * @category commands
 */
export const servers = Action.make("servers", {}, () => Action.load(load, (m) => m.servers)).pipe(
  Command.withDescription("List the servers linked to the Connect account and save them (AccessKeys stay masked).")
)

/**
 * @since 0.1.0
 * @category commands
 */
export const logout = Action.make("logout", { local: localOption("Emby Connect") }, (args) => Action.load(load, (m) => m.logout(args))).pipe(
  Command.withDescription("Sign out of Emby Connect: revokes the token and forgets it and the AccessKeys.")
)

/**
 * Examples of the `connect` commands (run against the sandbox's Connect service by
 * test/Examples.e2e.test.ts, with MBAUTH_CONNECT_URL pointing at it).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  connect: {
    examples: [
      {
        command: "printf '%s' alice-connect-password | mbauth connect login --user alice@example.com --password-stdin",
        description: "Sign in to Emby Connect"
      },
      { command: "mbauth connect servers", description: "Save the servers linked to the account" }
    ]
  },
  "connect login": {
    examples: [
      {
        command: "printf '%s' alice-connect-password | mbauth connect login --user alice@example.com --password-stdin",
        description: "The password from standard input (or MBAUTH_PASSWORD, or a hidden prompt)"
      }
    ]
  },
  "connect pin": {
    examples: [
      { command: "mbauth connect pin", description: "Show a PIN to enter at the Emby Connect website, and wait" },
      { command: "mbauth connect pin --interval 1", description: "Check every second" }
    ]
  },
  "connect servers": {
    examples: [
      { command: "mbauth connect servers", description: "List and save the linked servers" },
      { command: "mbauth connect servers --json", description: "As JSON lines" }
    ]
  },
  "connect logout": {
    examples: [{ command: "mbauth connect logout", description: "Revoke the Connect token and forget it" }]
  }
}

/**
 * `mbauth connect`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("connect").pipe(
  Command.withDescription("Emby Connect: sign in, list linked servers, sign out (MBAUTH_CONNECT_URL overrides the service address)."),
  Command.withSubcommands([login, pin, servers, logout])
)
