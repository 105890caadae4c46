/**
 * `mbauth request explain`: which token each server profile would validate for a request, read
 * from which transport, with the legacy switch on and off.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import * as Batch from "../Batch.js"
import * as Shared from "../internal/options.js"
import * as Secret from "../Secret.js"

const explainConfig = {
  headers: Options.text("header").pipe(
    Options.withAlias("H"),
    Options.withPseudoName("'NAME: VALUE'"),
    Options.repeated,
    Options.withDescription("A request header, like curl -H.")
  ),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.withPseudoName("NAME=VALUE"),
    Options.repeated,
    Options.withDescription("A query parameter (the value is percent-decoded like a URL's).")
  ),
  profile: Shared.profile,
  showSecrets: Secret.showSecrets,
  ...Batch.options
}

/**
 * The parsed options of `request explain`.
 *
 * @since 0.1.0
 * @category models
 */
export type ExplainArgs = Command.Command.ParseConfig<typeof explainConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const explain = Action.make(
  "explain",
  explainConfig,
  (args) => Action.load(() => import("../internal/request/explain.js"), (m) => m.run(args))
).pipe(
  Command.withDescription(
    "Which token each server profile would validate for a request (-H, -q), from which transport, legacy on and off. Batch: --stdin (jsonl {\"headers\",\"query\"})."
  )
)

/**
 * Examples of the `request` commands (run by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  request: {
    examples: [
      { command: "mbauth request explain -q api_key=0123456789abcdef", description: "Which token a request carries" }
    ]
  },
  "request explain": {
    examples: [
      {
        command: "mbauth request explain -H 'Authorization: MediaBrowser Token=\"0123456789abcdef\"' -q api_key=fedcba9876543210",
        description: "A header and a query token: which one each server uses"
      },
      {
        command: "mbauth request explain -H 'X-Emby-Token: 0123456789abcdef' --profile emby",
        description: "One server profile only"
      }
    ]
  }
}

/**
 * `mbauth request`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("request").pipe(
  Command.withDescription("Explain how servers read a request's credentials."),
  Command.withSubcommands([explain])
)
