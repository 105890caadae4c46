/**
 * `mbauth request explain`: which token each server profile would validate for a request, read
 * from which transport, with the legacy switch on and off.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import * as Batch from "../Batch.js"
import * as Shared from "../internal/options.js"
import * as Secret from "../Secret.js"

const explainConfig = {
  headers: Options.text("header").pipe(
    Options.withAlias("H"),
    Options.repeated,
    Options.withDescription("A request header, 'Name: value' (repeatable, like curl -H).")
  ),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.repeated,
    Options.withDescription("A query parameter, name=value (repeatable; the value is percent-decoded like a URL's).")
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
 * `mbauth request`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("request").pipe(
  Command.withDescription("Explain how servers read a request's credentials."),
  Command.withSubcommands([explain])
)
