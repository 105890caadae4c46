/**
 * `mbauth server add|discover|login|list|use|logout|approve|remove`: saved Jellyfin and Emby servers and their
 * sign-ins. `SERVER` is a ServerId, a server name or an address.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import * as Secret from "../Secret.js"
import { interval, localOption } from "./Connect.js"

/**
 * The `SERVER` argument.
 *
 * @since 0.1.0
 * @category arguments
 */
export const server = Args.text({ name: "SERVER" }).pipe(Args.withDescription("A saved server: its ServerId, name or address."))

/**
 * The `SERVER` argument of the commands that use the default server when it is left out.
 *
 * @since 0.1.0
 * @category arguments
 */
export const serverOrDefault = Args.text({ name: "SERVER" }).pipe(
  Args.withDescription("A saved server: its ServerId, name or address (default: the one chosen with `server use`)."),
  Args.optional
)

/**
 * `--user NAME`.
 *
 * @since 0.1.0
 * @category options
 */
export const user = Options.text("user").pipe(
  Options.withPseudoName("NAME"),
  Options.optional,
  Options.withDescription("The user (default: the one who signed in last).")
)

const addConfig = {
  url: Args.text({ name: "URL" }).pipe(Args.withDescription("The server address (scheme and port optional: https, :8096 and :8920 are tried)."))
}
const loginConfig = {
  server: serverOrDefault,
  user: Options.text("user").pipe(
    Options.withPseudoName("NAME"),
    Options.optional,
    Options.withDescription("Sign in as this user, with a password.")
  ),
  quickConnect: Options.boolean("quick-connect").pipe(
    Options.withDescription("Jellyfin: sign in by authorizing a code in an app where you are signed in.")
  ),
  passwordStdin: Secret.stdinFlag("password", "MBAUTH_PASSWORD"),
  interval: interval(5)
}
const userConfig = { server: serverOrDefault, user }
const removeConfig = {
  server,
  yes: Options.boolean("yes").pipe(Options.withAlias("y"), Options.withDescription("Do not ask for confirmation on a terminal."))
}

/**
 * @since 0.1.0
 * @category models
 */
export type AddArgs = Command.Command.ParseConfig<typeof addConfig>
/**
 * @since 0.1.0
 * @category models
 */
export type LoginArgs = Command.Command.ParseConfig<typeof loginConfig>
/**
 * @since 0.1.0
 * @category models
 */
export type UserArgs = Command.Command.ParseConfig<typeof userConfig>
/**
 * @since 0.1.0
 * @category models
 */
export type RemoveArgs = Command.Command.ParseConfig<typeof removeConfig>

const load = () => import("../internal/server.js")

/**
 * @since 0.1.0
 * @category commands
 */
export const add = Action.make("add", addConfig, (args) => Action.load(load, (m) => m.add(args))).pipe(
  Command.withDescription("Find the Jellyfin or Emby server at an address and save it.")
)

/**
 * @since 0.1.0
 * @category commands
 */
export const login = Action.make("login", loginConfig, (args) => Action.load(load, (m) => m.login(args))).pipe(
  Command.withDescription(
    "Sign in to a saved server: --user NAME (password by hidden prompt, --password-stdin or MBAUTH_PASSWORD), --quick-connect, or, for an Emby server from Emby Connect, the AccessKey exchange."
  )
)

/**
 * @since 0.1.0
 * @category commands
 */
export const list = Action.make("list", {}, () => Action.load(load, (m) => m.list)).pipe(
  Command.withDescription("Every saved server, whether it answers now, and who is signed in.")
)

const logoutConfig = { ...userConfig, local: localOption("the server") }

/**
 * @since 0.1.0
 * @category models
 */
export type LogoutArgs = Command.Command.ParseConfig<typeof logoutConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const logout = Action.make("logout", logoutConfig, (args) => Action.load(load, (m) => m.logout(args))).pipe(
  Command.withDescription("Sign out of a server: the server revokes the token, and mbauth forgets it.")
)

const approveConfig = {
  server,
  code: Args.text({ name: "CODE" }).pipe(Args.withDescription("The six-digit Quick Connect code the new device shows.")),
  user
}

/**
 * The parsed options of `server approve`.
 *
 * @since 0.1.0
 * @category models
 */
export type ApproveArgs = Command.Command.ParseConfig<typeof approveConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const approve = Action.make("approve", approveConfig, (args) => Action.load(load, (m) => m.approve(args))).pipe(
  Command.withDescription(
    "Approve a Quick Connect code shown by a new device (Jellyfin): it signs in as the saved user (--user, default the last one)."
  )
)

/**
 * @since 0.1.0
 * @category commands
 */
export const remove = Action.make("remove", removeConfig, (args) => Action.load(load, (m) => m.remove(args))).pipe(
  Command.withDescription(
    "Forget a saved server and its sign-ins (sign out first to revoke the tokens). Asks first on a terminal."
  )
)

/**
 * @since 0.1.0
 * @category commands
 */
export const use = Action.make("use", { server }, (args) => Action.load(load, (m) => m.use(args))).pipe(
  Command.withDescription("Make a saved server the default: the commands whose SERVER is left out use it.")
)

const discoverConfig = {
  add: Options.text("add").pipe(
    Options.withPseudoName("NAME|ID"),
    Options.optional,
    Options.withDescription("Save the server that answered with this name or ServerId, at the address its answer came from.")
  ),
  address: Options.text("address").pipe(
    Options.withPseudoName("HOST[:PORT]"),
    Options.repeated,
    Options.withDescription(
      "Ask this address instead of broadcasting on the LAN (repeatable; port 7359 unless given): for a server on another network, or a test responder such as 127.0.0.1:7359."
    )
  ),
  timeout: Options.float("timeout").pipe(
    Options.withPseudoName("SECONDS"),
    Options.withDefault(1),
    Options.withDescription("How long to wait for answers (0.1 to 30).")
  )
}

/**
 * The parsed options of `server discover`.
 *
 * @since 0.1.0
 * @category models
 */
export type DiscoverArgs = Command.Command.ParseConfig<typeof discoverConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const discover = Action.make("discover", discoverConfig, (args) => Action.load(load, (m) => m.discover(args))).pipe(
  Command.withDescription(
    "Find Jellyfin and Emby servers on the LAN (UDP port 7359) and list what answered, at the address each answer came from (servers often report localhost or a container's address). --add saves one."
  )
)

/**
 * Examples and aliases of the `server` commands. They are run against the sandbox by
 * test/Examples.e2e.test.ts (`http://127.0.0.1:8096` stands for its Jellyfin 12 server).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  server: {
    examples: [
      { command: "mbauth server add http://127.0.0.1:8096", description: "Save the server at an address" },
      { command: "mbauth server list", description: "Every saved server and who is signed in" }
    ]
  },
  "server discover": {
    examples: [
      {
        command: "mbauth server discover --address 127.0.0.1:7359",
        description: "Ask one address (here the sandbox's responder); without --address, a broadcast on the LAN"
      },
      { command: "mbauth server discover --address 127.0.0.1:7359 --json", description: "The same as JSON lines, for scripts" },
      {
        command: "mbauth server discover --address 127.0.0.1:7359 --add 'Sandbox Jellyfin 10.10'",
        description: "Save the server that answered with this name"
      }
    ]
  },
  "server add": {
    examples: [
      { command: "mbauth server add http://127.0.0.1:8096", description: "Save the Jellyfin or Emby server at this address" }
    ]
  },
  "server login": {
    examples: [
      {
        command: "printf '%s' bob-password | mbauth server login http://127.0.0.1:8096 --user bob --password-stdin",
        description: "Sign in as bob, the password from standard input"
      },
      {
        command: "MBAUTH_PASSWORD=bob-password mbauth server login 'Sandbox Jellyfin 12' --user bob",
        description: "The same, naming the server and passing the password in the environment"
      }
    ]
  },
  "server list": {
    aliases: ["ls"],
    examples: [
      { command: "mbauth server list", description: "Saved servers, whether they answer, and who is signed in" },
      { command: "mbauth server ls --json", description: "The same as JSON lines, for scripts" }
    ]
  },
  "server logout": {
    examples: [
      { command: "mbauth server logout 'Sandbox Jellyfin 12' --user bob", description: "Revoke bob's token and forget it" }
    ]
  },
  "server approve": {
    examples: [
      {
        command: "mbauth server approve 'Sandbox Jellyfin 12' 123456 --user bob || echo 'no device shows 123456'",
        description: "Sign in the new device that shows this Quick Connect code, as bob"
      }
    ]
  },
  "server use": {
    examples: [
      { command: "mbauth server use 'Sandbox Jellyfin 12'", description: "Make it the default server" },
      { command: "mbauth get /Users/Me", description: "Then SERVER can be left out" }
    ]
  },
  "server remove": {
    aliases: ["rm"],
    examples: [
      { command: "mbauth server remove 'Sandbox Jellyfin 12' --yes", description: "Forget a saved server and its sign-ins, without asking" }
    ]
  }
}

/**
 * `mbauth server`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("server").pipe(
  Command.withDescription("Saved Jellyfin and Emby servers and their sign-ins."),
  Command.withSubcommands([add, discover, login, list, use, logout, approve, remove])
)
