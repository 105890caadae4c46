#!/usr/bin/env node
/**
 * The `mbauth-codegen` executable.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Cli from "./Cli.js"

Cli.run(process.argv).pipe(
  // @effect/cli has already printed its own usage errors; print ours (to stderr) and exit 1.
  Effect.tapError((error) => (ValidationError.isValidationError(error) ? Effect.void : Console.error(Cli.renderError(error)))),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
