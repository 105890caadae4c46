import * as Effect from "effect/Effect"
import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"

export const parseHeader = Effect.gen(function*() {
  // compat mode (the default) reads exactly what Jellyfin reads, quirks included
  const parsed = yield* AuthorizationHeader.parse("MediaBrowser Client=\"Jellyfin%20Web\", Device=Firefox, Token=\"abc\"")
  // parsed.params: { Client: "Jellyfin Web", Device: "Firefox", Token: <redacted> }

  // strict mode rejects what no well-behaved client sends, and says where, secrets masked
  const error = yield* Effect.flip(AuthorizationHeader.parse("MediaBrowser Token=abc", { mode: "strict" }))
  // error.message:
  // Invalid MediaBrowser authorization header: the value of Token must be wrapped in double quotes (UnquotedValue at offset 19)
  //   MediaBrowser Token=***
  //                      ^
  return { params: parsed.params, message: error.message }
})
