/**
 * `mbauth get SERVER PATH`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { GetArgs } from "../commands/Get.js"
import { Output } from "../Output.js"
import { printBody } from "./api.js"
import * as DefaultServer from "./session/defaultServer.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

/** @internal */
export const run = (args: GetArgs) =>
  Effect.gen(function*() {
    const out = yield* Output
    const result = yield* Session.provide(
      Effect.flatMap(DefaultServer.resolve(args.server), (server) => Ops.get(server, args.path, Option.getOrUndefined(args.user)))
    )
    // The body is the data: laid out for people, one line with --json.
    yield* printBody(result.text, !out.json)
  })
