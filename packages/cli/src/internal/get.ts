/**
 * `mbauth get SERVER PATH`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { GetArgs } from "../commands/Get.js"
import { Output } from "../Output.js"
import * as Escape from "./escape.js"
import * as JsonText from "./jsonText.js"
import * as DefaultServer from "./session/defaultServer.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

// Deeper than this, an indented body would be mostly indentation: it is printed on one line.
const maxIndentedDepth = 100

/** @internal */
export const run = (args: GetArgs) =>
  Effect.gen(function*() {
    const out = yield* Output
    const result = yield* Session.provide(
      Effect.flatMap(DefaultServer.resolve(args.server), (server) => Ops.get(server, args.path, Option.getOrUndefined(args.user)))
    )
    // The body is the data: pretty for people, one line with --json. It is laid out from the
    // server's text, never through JSON.stringify, so no depth of nesting can overflow the stack.
    if (!result.isJson) return yield* (out.json ? out.jsonLine(result.text) : out.data(Escape.untrustedLines(result.text)))
    if (out.json) return yield* out.data(JsonText.compact(result.text))
    const pretty = JsonText.layout(result.text, "  ", maxIndentedDepth)
    if (pretty !== undefined) return yield* out.data(pretty)
    yield* out.note(`the body nests more than ${maxIndentedDepth} levels deep: printed on one line`)
    yield* out.data(JsonText.compact(result.text))
  })
