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
import {
  type CorruptCredentialFile,
  CredentialFileUnwritable,
  type CredentialStoreError,
  type ForeignCredentialFile,
  unreadable,
  type UnsupportedSchemaVersion,
  unwritable
} from "./errors.js"
import { empty } from "./merge.js"
import type { Credentials } from "./schema.js"

/** @internal */
export interface Backend {
  /** Shown in errors and docs: a file path, or `KeyValueStore:<key>`. */
  readonly location: string
  readonly load: Effect.Effect<Credentials, CredentialStoreError>
  readonly modify: <A>(f: (credentials: Credentials) => readonly [A, Credentials]) => Effect.Effect<A, CredentialStoreError>
  /** Runs `use` as the only holder of `key` among the store's users, once the store has been read. */
  readonly exclusive: (key: string) => <A, E, R>(use: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CredentialStoreError, R>
}

// One process's holders of `exclusive`: a store without a lock of its own shares one among all keys.
const inProcessExclusive = (load: Effect.Effect<Credentials, CredentialStoreError>) =>
  Effect.map(Effect.makeSemaphore(1), (semaphore): Backend["exclusive"] => () => (use) =>
    semaphore.withPermits(1)(Effect.zipRight(load, use)))

/** @internal */
export const makeMemory = (initial: Credentials = empty): Effect.Effect<Backend> =>
  Effect.gen(function*() {
    const ref = yield* SynchronizedRef.make(initial)
    const load = SynchronizedRef.get(ref)
    return {
      location: "memory",
      load,
      modify: (f) => SynchronizedRef.modify(ref, f),
      exclusive: yield* inProcessExclusive(load)
    }
  })

/**
 * The decoding and encoding of one store's document. A store reads the whole document on every
 * operation (an update reads it again under the lock), and that text is nearly always the one it
 * decoded last: then the decoded state is reused. The text is still read every time and compared
 * in full, so a change made by another process or by hand is decoded as before.
 *
 * @internal
 */
export interface Codec {
  /** Decodes stored text; absent text is an empty store. */
  readonly decode: (text: Option.Option<string>) => Either.Either<Credentials, DecodeError>
  /** Encodes a new state as text, failing with a typed error when it is outside the schema. */
  readonly encode: (next: Credentials) => Either.Either<string, CredentialFileUnwritable>
}

/** @internal */
export type DecodeError = CorruptCredentialFile | ForeignCredentialFile | UnsupportedSchemaVersion

/** @internal */
export const makeCodec = (location: string): Codec => {
  let last: { readonly text: string; readonly credentials: Credentials } | undefined
  return {
    decode: (text) => {
      if (Option.isNone(text)) return Either.right(empty)
      if (last !== undefined && last.text === text.value) return Either.right(last.credentials)
      return Either.map(decode(location, text.value), (credentials) => {
        last = { text: text.value, credentials }
        return credentials
      })
    },
    encode: (next) =>
      Either.mapLeft(encode(next), (detail) =>
        new CredentialFileUnwritable({
          path: location,
          reason: "InvalidData",
          detail: `the new state does not match the schema: ${detail}`
        }))
  }
}

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
    const codec = makeCodec(location)
    const readDecoded = Effect.flatMap(read, (text) => Effect.map(codec.decode(text), (c) => [text, c] as const))
    const load = Effect.map(readDecoded, ([, credentials]) => credentials)
    return {
      location,
      load,
      exclusive: yield* inProcessExclusive(load),
      modify: <A>(f: (credentials: Credentials) => readonly [A, Credentials]) =>
        semaphore.withPermits(1)(Effect.gen(function*() {
          const [text, current] = yield* readDecoded
          const [result, next] = f(current)
          const encoded = yield* codec.encode(next)
          if (Option.getOrUndefined(text) !== encoded) {
            yield* Effect.mapError(store.set(key, encoded), (e) => unwritable(location, e))
          }
          return result
        }))
    }
  })
