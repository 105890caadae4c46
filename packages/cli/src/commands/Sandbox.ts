/**
 * `mbauth sandbox`: runs the sandbox from `@mbauth/testing` (a fake Emby Connect and the personas
 * Jellyfin 10.10, 10.11, 12.0 and Emby 4.9 — or only the `--persona`s asked for) on 127.0.0.1 until
 * interrupted, and `--tour` walks through signing in against it.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"

const sandboxConfig = {
  tour: Options.boolean("tour").pipe(
    Options.withDescription(
      "Walk through Connect sign-in, the server list, the AccessKey exchange, a direct sign-in, an authenticated GET and sign-out against a private sandbox, then exit."
    )
  ),
  personas: Options.text("persona").pipe(
    Options.repeated,
    Options.withDescription(
      "Run only this server as released (repeatable): jellyfin-10.10, jellyfin-10.11, jellyfin-12.0 or emby-4.9, with knobs after a colon, comma-separated: legacy=on|off and quick-connect=on|off (e.g. jellyfin-12.0:legacy=on). emby-4.9 brings the fake Emby Connect along."
    )
  ),
  port: Options.integer("port").pipe(
    Options.optional,
    Options.withDescription(
      "The first port: the servers take it and the next ones in persona order (all four in release order without --persona), then Emby Connect, then discovery (UDP), so scripts can rely on them (default: free ports)."
    )
  ),
  host: Options.text("host").pipe(
    Options.withPseudoName("ADDRESS"),
    Options.withDefault("127.0.0.1"),
    Options.withDescription("The address the servers listen on (they accept any demo user, so keep it local).")
  )
}

/**
 * The parsed options of `sandbox`.
 *
 * @since 0.1.0
 * @category models
 */
export type SandboxArgs = Command.Command.ParseConfig<typeof sandboxConfig>

const confirmPinConfig = {
  pin: Args.text({ name: "PIN" }).pipe(Args.withDescription("The PIN that `mbauth connect pin` shows.")),
  url: Options.text("url").pipe(
    Options.withPseudoName("URL"),
    Options.withFallbackConfig(Config.string("MBAUTH_CONNECT_URL")),
    Options.optional,
    Options.withDescription("The sandbox's Emby Connect service, as `mbauth sandbox` prints it (never the real one).")
  ),
  user: Options.text("user").pipe(
    Options.withPseudoName("EMAIL"),
    Options.withDefault("alice@example.com"),
    Options.withDescription("The demo Emby Connect user who confirms it: alice@example.com or bob@example.com.")
  )
}

/**
 * The parsed options of `sandbox confirm-pin`.
 *
 * @since 0.1.0
 * @category models
 */
export type ConfirmPinArgs = Command.Command.ParseConfig<typeof confirmPinConfig>

const helpers = () => import("../internal/sandbox/helpers.js")

/**
 * `mbauth sandbox confirm-pin PIN`: the Emby Connect website's step of a PIN sign-in.
 *
 * @since 0.1.0
 * @category commands
 */
export const confirmPin = Action.make("confirm-pin", confirmPinConfig, (args) => Action.load(helpers, (m) => m.confirmPin(args))).pipe(
  Command.withDescription(
    "Confirm a PIN of `mbauth connect pin` on the sandbox's Emby Connect, as its website does after a demo user signs in there (POST /service/pin/confirm?pin=&userId= with X-Connect-UserToken)."
  )
)

const approveConfig = {
  code: Args.text({ name: "CODE" }).pipe(Args.withDescription("The code that `mbauth server login --quick-connect` shows.")),
  url: Options.text("url").pipe(
    Options.withPseudoName("URL"),
    Options.withDescription("The sandbox Jellyfin server, as `mbauth sandbox` prints it.")
  ),
  user: Options.text("user").pipe(
    Options.withPseudoName("NAME"),
    Options.withDefault("bob"),
    Options.withDescription("The demo user who approves it (and whom the device signs in as): alice or bob.")
  )
}

/**
 * The parsed options of `sandbox approve`.
 *
 * @since 0.1.0
 * @category models
 */
export type ApproveArgs = Command.Command.ParseConfig<typeof approveConfig>

/**
 * `mbauth sandbox approve CODE`: a signed-in app's step of a Quick Connect sign-in.
 *
 * @since 0.1.0
 * @category commands
 */
export const approve = Action.make("approve", approveConfig, (args) => Action.load(helpers, (m) => m.approve(args))).pipe(
  Command.withDescription(
    "Approve a Quick Connect code on a sandbox Jellyfin server, as a signed-in app does: signs in as a demo user, POST /QuickConnect/Authorize?code=, signs out."
  )
)

/**
 * `mbauth sandbox`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Action.make(
  "sandbox",
  sandboxConfig,
  (args) =>
    args.tour
      ? Action.load(() => import("../internal/sandbox/tour.js"), (m) => m.run(args))
      : Action.load(() => import("../internal/sandbox/serve.js"), (m) => m.run(args))
).pipe(
  Command.withDescription(
    "Run fake servers as released (Jellyfin 10.10, 10.11, 12.0, Emby 4.9 with Emby Connect) on 127.0.0.1 until Ctrl-C, and print how to point mbauth at them (--json: one line per service). --persona picks servers and their knobs, --port fixes the ports. --tour: a scripted sign-in walk-through that exits (--json: one line per step)."
  ),
  Command.withSubcommands([confirmPin, approve])
)

/**
 * Examples of `sandbox` (run by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  sandbox: {
    runs: true,
    examples: [
      { command: "mbauth sandbox", description: "Run the fake servers until Ctrl-C, and print how to use them" },
      { command: "mbauth sandbox --tour", description: "A scripted sign-in walk-through" },
      { command: "mbauth sandbox --tour --json", description: "The same, one JSON object per step" }
    ]
  },
  "sandbox confirm-pin": {
    examples: [
      {
        command: "mbauth sandbox confirm-pin 4096",
        description: "Confirm the PIN that `mbauth connect pin` shows (MBAUTH_CONNECT_URL points at the sandbox)"
      },
      {
        command: "mbauth sandbox confirm-pin 4096 --user bob@example.com --url \"$MBAUTH_CONNECT_URL\"",
        description: "As bob, naming the service"
      }
    ]
  },
  "sandbox approve": {
    examples: [
      {
        command: "mbauth sandbox approve 123456 --url http://127.0.0.1:8096",
        description: "Approve the code that `mbauth server login --quick-connect` shows, as bob"
      }
    ]
  }
}
