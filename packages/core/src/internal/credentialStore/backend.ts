/**
 * Where the credentials live. A backend only knows how to read the whole state and how to run a
 * read-modify-write atomically; the public service builds every operation on those two.
 *
 * @internal
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { decode, encode } from "./document.js"
import { CredentialFileUnwritable, type CredentialStoreError, unreadable, unwritable } from "./errors.js"
import { empty } from "./merge.js"
import type { Credentials } from "./schema.js"

/** @internal */
export interface Backend {
  /** Shown in errors and docs: a file path, or `KeyValueStore:<key>`. */
  readonly location: string
  readonly load: Effect.Effect<Credentials, CredentialStoreError>
  readonly modify: <A>(f: (credentials: Credentials) => readonly [A, Credentials]) => Effect.Effect<A, CredentialStoreError>
}

/** @internal */
export const makeMemory = (initial: Credentials = empty): Effect.Effect<Backend> =>
  Effect.map(SynchronizedRef.make(initial), (ref) => ({
    location: "memory",
    load: SynchronizedRef.get(ref),
    modify: (f) => SynchronizedRef.modify(ref, f)
  }))

/** Decodes stored text; absent text is an empty store. @internal */
export const decodeStored = (location: string, text: Option.Option<string>) =>
  Option.match(text, {
    onNone: () => Either.right(empty),
    onSome: (t) => decode(location, t)
  })

/** Encodes a new state, failing with a typed error when it is outside the schema. @internal */
export const encodeNext = (location: string, next: Credentials) =>
  Either.mapBoth(encode(next), {
    onLeft: (detail) =>
      new CredentialFileUnwritable({
        path: location,
        reason: "InvalidData",
        detail: `the new state does not match the schema: ${detail}`
      }),
    onRight: (encoded) => encoded.text
  })

/**
 * A `KeyValueStore` backend (localStorage in browsers, anything in servers). Writes within one
 * process are serialised; the store itself offers no cross-process lock, so two browser tabs
 * writing at the same instant can still race (the last write wins).
 *
 * @internal
 */
export const makeKeyValueStore = (key: string): Effect.Effect<Backend, never, KeyValueStore.KeyValueStore> =>
  Effect.gen(function*() {
    const store = yield* KeyValueStore.KeyValueStore
    const semaphore = yield* Effect.makeSemaphore(1)
    const location = `KeyValueStore:${key}`
    const read = Effect.mapError(store.get(key), (e) => unreadable(location, e))
    const readDecoded = Effect.flatMap(read, (text) => Effect.map(decodeStored(location, text), (c) => [text, c] as const))
    return {
      location,
      load: Effect.map(readDecoded, ([, credentials]) => credentials),
      modify: <A>(f: (credentials: Credentials) => readonly [A, Credentials]) =>
        semaphore.withPermits(1)(Effect.gen(function*() {
          const [text, current] = yield* readDecoded
          const [result, next] = f(current)
          const encoded = yield* encodeNext(location, next)
          if (Option.getOrUndefined(text) !== encoded) {
            yield* Effect.mapError(store.set(key, encoded), (e) => unwritable(location, e))
          }
          return result
        }))
    }
  })
