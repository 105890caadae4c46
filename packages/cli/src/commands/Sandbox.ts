/**
 * `mbauth sandbox`: runs the sandbox from `@mbauth/testing` (a fake Emby Connect, a Jellyfin
 * 10.11, a Jellyfin 12 and an Emby server) on 127.0.0.1 until interrupted, and `--tour` walks
 * through signing in against it.
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
    "Run fake Emby Connect, Jellyfin 10.11, Jellyfin 12 and Emby servers on 127.0.0.1 until Ctrl-C, and print how to point mbauth at them (--json: one line per service). --tour: a scripted sign-in walk-through that exits."
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
