/**
 * `mbauth doctor URL`: why does this server answer 401? Identifies the server, finds out whether
 * legacy authorization and Quick Connect are on and which transports the server reads, and with a
 * token (`--token-stdin`, `MBAUTH_TOKEN`, or the saved sign-in of the server) which transports
 * accept it; each finding with its cause and its fix. `--request -H … -q …` says why that request
 * got 401.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import * as Shared from "../internal/options.js"
import * as Secret from "../Secret.js"
import { user } from "./Server.js"

const doctorConfig = {
  url: Args.text({ name: "URL" }).pipe(
    Args.withDescription("The server address (or a saved server's name or ServerId)."),
    Args.optional
  ),
  tokenStdin: Secret.stdinFlag("token", "MBAUTH_TOKEN"),
  user,
  request: Options.boolean("request").pipe(
    Options.withDescription(
      "Explain why a captured request (-H, -q) got 401: from the server at URL as diagnosed, or from --profile and --legacy without one."
    )
  ),
  headers: Options.text("header").pipe(
    Options.withAlias("H"),
    Options.repeated,
    Options.withDescription("With --request: a request header, 'Name: value' (repeatable, like curl -H).")
  ),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.repeated,
    Options.withDescription("With --request: a query parameter, name=value (repeatable).")
  ),
  profile: Shared.profile,
  legacy: Options.choice("legacy", ["on", "off"]).pipe(
    Options.optional,
    Options.withDescription("With --request and no URL: the server's legacy authorization switch (default: the profile's).")
  )
}

/**
 * The parsed options of `doctor`.
 *
 * @since 0.1.0
 * @category models
 */
export type DoctorArgs = Command.Command.ParseConfig<typeof doctorConfig>

/**
 * `mbauth doctor`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Action.make(
  "doctor",
  doctorConfig,
  (args) => Action.load(() => import("../internal/doctor.js"), (m) => m.run(args))
).pipe(
  Command.withDescription(
    "Why a server answers 401: product and version, legacy authorization on or off, which transports it reads, Quick Connect, and with a token (--token-stdin or the saved sign-in) which transports accept it; a cause and a fix per finding. --request -H/-q: why that request got 401."
  )
)

/**
 * Examples of `doctor` (run by test/Examples.e2e.test.ts; `http://127.0.0.1:8096` stands for the
 * sandbox's Jellyfin 12 server).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  doctor: {
    examples: [
      { command: "mbauth doctor http://127.0.0.1:8096", description: "What the server is, and what it reads: legacy authorization, Quick Connect" },
      {
        command: "mbauth doctor http://127.0.0.1:8096 --request -H 'X-Emby-Token: 0123' || echo 'that request gets 401'",
        description: "Why a captured request got 401 from this server"
      }
    ]
  }
}
