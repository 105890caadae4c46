/**
 * `mbauth get SERVER PATH`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { GetArgs } from "../commands/Get.js"
import * as Output from "../Output.js"
import * as DefaultServer from "./session/defaultServer.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

/** @internal */
export const run = (args: GetArgs) =>
  Effect.gen(function*() {
    const result = yield* Session.provide(
      Effect.flatMap(DefaultServer.resolve(args.server), (server) => Ops.get(server, args.path, Option.getOrUndefined(args.user)))
    )
    // The body is the data: pretty for people, one line with --json.
    yield* Output.result(
      () => typeof result.body === "string" ? result.body : JSON.stringify(result.body, null, 2),
      () => result.body
    )
  })
