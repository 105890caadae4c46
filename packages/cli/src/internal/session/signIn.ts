/**
 * A sign-in that never costs the user the sign-in they already had.
 *
 * Jellyfin, Emby and Emby Connect replace the token of a (DeviceId, user) the moment they issue a
 * new one: from then on the saved token is dead, and only the new one is worth anything. So:
 *
 * 1. The sign-in runs under the credential store's `exclusive` lock for its key (the service and
 *    the DeviceId's user): two sign-ins that would revoke each other's token, in any processes, run
 *    one after the other; and taking the lock proves the store's folder writable (and the file
 *    readable) before the secret is sent.
 * 2. From the moment the secret is sent, the exchange and the save run to their end even when the
 *    command is interrupted: Ctrl-C waits for them (at most {@link exchangeBound} plus
 *    {@link saveBound}), then the command ends as interrupted, with the new token saved.
 * 3. A token that cannot be saved is revoked before the error is reported, so no live token is left
 *    that nobody holds.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { CredentialStore } from "@mbauth/core/CredentialStore"
import * as CliError from "../../CliError.js"

/** The longest a sign-in exchange may take once the secret is sent. @internal */
export const exchangeBound = Duration.seconds(30)
/** The longest saving a token may take (the store's lock wait included). @internal */
export const saveBound = Duration.seconds(20)
const revokeBound = Duration.seconds(10)

// Runs `effect` in a fiber of its own that the caller's interruption does not reach: an interrupted
// caller waits for it to end, then ends as interrupted. The effect's own timeouts still apply.
const runToEnd = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.uninterruptible(Effect.flatMap(Effect.forkDaemon(Effect.interruptible(effect)), Fiber.join))

/** @internal */
export interface SignIn<T, S, E, R, ES, RS, RV> {
  /** What the service replaces tokens per, e.g. `server <id> user <name>`. */
  readonly key: string
  /** Sends the secret; the result holds the new token. */
  readonly exchange: Effect.Effect<T, E, R>
  readonly save: (result: T) => Effect.Effect<S, ES, RS>
  /** Signs the new token out (called when it cannot be saved). */
  readonly revoke: (result: T) => Effect.Effect<void, unknown, RV>
  /**
   * The exchange waits for a person (Quick Connect, a PIN): it stays interruptible and unbounded,
   * and the rules of step 2 start when it has returned the token.
   */
  readonly waitsForPerson?: boolean
}

/**
 * Runs a sign-in by the rules above; returns the exchange's result and what `save` returned.
 *
 * @internal
 */
export const run = <T, S, E, R, ES, RS, RV>(signIn: SignIn<T, S, E, R, ES, RS, RV>) => {
  const bounded = signIn.exchange.pipe(
    Effect.timeoutFail({
      duration: exchangeBound,
      onTimeout: () =>
        new CliError.CommandFailed({
          code: "Timeout",
          message: `the sign-in got no answer within ${Duration.format(exchangeBound)}`
        })
    })
  )
  const save = (result: T) =>
    runToEnd(
      signIn.save(result).pipe(
        Effect.timeoutFail({
          duration: saveBound,
          onTimeout: () =>
            new CliError.CommandFailed({
              code: "SaveTimeout",
              message: `saving the new sign-in took longer than ${Duration.format(saveBound)}`
            })
        }),
        Effect.catchAll((error) =>
          Effect.zipRight(
            signIn.revoke(result).pipe(Effect.timeout(revokeBound), Effect.ignore),
            Effect.fail(notSaved(error))
          )
        ),
        Effect.map((saved) => ({ result, saved }) as const)
      )
    )
  const exchangeAndSave = signIn.waitsForPerson === true
    ? Effect.flatMap(signIn.exchange, save)
    : runToEnd(Effect.flatMap(bounded, save))
  return Effect.flatMap(CredentialStore, (store) => store.exclusive(signIn.key)(exchangeAndSave))
}

const notSaved = (error: unknown) =>
  new CliError.CommandFailed({
    code: "SignInNotSaved",
    message: `signed in, but the new token could not be saved: ${
      typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error)
    }`,
    hint: "the new token was signed out again; the service had already replaced the previous one, so sign in again once the config folder is writable"
  })
