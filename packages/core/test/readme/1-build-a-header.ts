import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"

export const buildHeader = Effect.gen(function*() {
  const header = yield* AuthorizationHeader.format({
    Token: Redacted.make("0123456789abcdef0123456789abcdef"),
    Client: "My App",
    Version: "1.0.0",
    DeviceId: "dev-1",
    Device: "Living room TV"
  })
  // The header holds the token, so it is Redacted too: String(header) === "<redacted>".
  // Reveal it only where it goes on the wire:
  return Redacted.value(header)
  // MediaBrowser Token="0123456789abcdef0123456789abcdef", Client="My%20App", Version="1.0.0",
  //   DeviceId="dev-1", Device="Living%20room%20TV"
})
