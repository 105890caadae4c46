// The rules of internal/session/signIn.ts that a real failure can hardly reach on purpose: a token
// the store cannot take is signed out again before the error is reported.
import { assert, describe, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as SignIn from "../src/internal/session/signIn.js"

describe("SignIn.run", () => {
  it.effect("revokes a token that cannot be saved, then fails with SignInNotSaved", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const exit = yield* SignIn.run({
        key: "server s device alice",
        exchange: Effect.sync(() => {
          events.push("exchange")
          return { token: "new-token" }
        }),
        save: () => Effect.fail(new CredentialStore.CredentialFileUnwritable({ path: "/x/credentials.json", reason: "Unknown", detail: "disk full" })),
        revoke: (result) => Effect.sync(() => events.push(`revoke ${result.token}`))
      }).pipe(Effect.provideServiceEffect(CredentialStore.CredentialStore, CredentialStore.makeMemory()), Effect.exit)
      assert.deepStrictEqual(events, ["exchange", "revoke new-token"])
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) assert.include(JSON.stringify(exit.cause), "SignInNotSaved")
    }))

  it.live("an interruption during the exchange waits for the save, then ends the sign-in as interrupted", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const fiber = yield* SignIn.run({
        key: "k",
        exchange: Effect.as(Effect.sleep("50 millis"), "token"),
        save: () => Effect.sync(() => events.push("saved")),
        revoke: () => Effect.void
      }).pipe(Effect.provideServiceEffect(CredentialStore.CredentialStore, CredentialStore.makeMemory()), Effect.fork)
      yield* Effect.sleep("10 millis")
      const exit = yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(events, ["saved"])
      assert.isTrue(Exit.isInterrupted(exit))
    }))
})
