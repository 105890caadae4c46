/**
 * `mbauth sandbox`: runs the sandbox from `@mbauth/testing` (a fake Emby Connect and the personas
 * Jellyfin 10.10, 10.11, 12.0 and Emby 4.9 — or only the `--persona`s asked for) on 127.0.0.1 until
 * interrupted, and `--tour` walks through signing in against it.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
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
    "Run fake servers as released (Jellyfin 10.10, 10.11, 12.0, Emby 4.9 with Emby Connect) on 127.0.0.1 until Ctrl-C, and print how to point mbauth at them (--json: one line per service). --persona picks servers and their knobs, --port fixes the ports. --tour: a scripted sign-in walk-through that exits."
  )
)

/**
 * Examples of `sandbox` (run by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  sandbox: {
    examples: [
      { command: "mbauth sandbox", description: "Run the fake servers until Ctrl-C, and print how to use them" },
      { command: "mbauth sandbox --tour", description: "A scripted sign-in walk-through" }
    ]
  }
}
