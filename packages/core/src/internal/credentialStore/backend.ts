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
import { decodeText, encode, type Encoded } from "./document.js"
import {
  type CorruptCredentialFile,
  CredentialFileUnwritable,
  type CredentialStoreError,
  unreadable,
  type UnsupportedSchemaVersion,
  unwritable
} from "./errors.js"
import { decodeDocument, type Document, type Written } from "./fastV2Codec.js"
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
 * The decoding and encoding of one store's document, remembering the last text it decoded or
 * wrote with its decoded state. A store reads the whole document on every operation (an update
 * reads it again under the lock), and that text is nearly always the one it decoded or wrote last:
 * then the decode is skipped. Only the decode — the text is still read every time and compared in
 * full, so a change made by another process or by hand is decoded as before.
 *
 * After a write the state is what decoding the written text gives, built from the document rather
 * than the text, on first use, and sharing every unchanged server with the state before; the next
 * encode likewise reuses the unchanged servers' part of the document (see `fastV2Codec.Written`).
 * A decoded text is reused the same way when it is exactly what the encoder writes (a file some
 * store wrote, not edited since): its parsed document is kept, so even a store opened for one
 * load and save encodes only the servers it changes.
 *
 * The remembered state is handed to every caller that reads that text, as the memory store hands
 * out its one state: states are immutable values (the merge rules build new ones).
 *
 * @internal
 */
export interface Codec {
  /** Decodes stored text; absent text is an empty store. */
  readonly decode: (
    text: Option.Option<string>
  ) => Either.Either<Credentials, CorruptCredentialFile | UnsupportedSchemaVersion>
  /** Encodes a new state, failing with a typed error when it is outside the schema. */
  readonly encode: (next: Credentials) => Either.Either<Encoded, CredentialFileUnwritable>
  /** Records that `encoded` is what the store now holds. */
  readonly stored: (encoded: Encoded) => void
}

interface Entry {
  readonly text: string
  /** What decoding `text` gives; for a text this store wrote, computed on first use. */
  credentials: Credentials | undefined
  /**
   * The document `text` is the JSON of, as the hand-written encoder builds it: for a text this
   * store wrote with that encoder, and for a text it decoded that is exactly such a document.
   */
  readonly document: Document | undefined
  /** The written state the document may share servers with, until `credentials` is computed. */
  base: Written | undefined
}

const writtenOf = (entry: Entry | undefined): Written | undefined =>
  entry?.document !== undefined && entry.credentials !== undefined ?
    { document: entry.document, credentials: entry.credentials } :
    undefined

/** @internal */
export const makeCodec = (location: string): Codec => {
  let last: Entry | undefined
  return {
    decode: (text) => {
      if (Option.isNone(text)) return Either.right(empty)
      if (last !== undefined && last.text === text.value) {
        if (last.credentials === undefined && last.document !== undefined) {
          last.credentials = decodeDocument(last.document, last.base)
          last.base = undefined
        }
        if (last.credentials !== undefined) return Either.right(last.credentials)
      }
      const decoded = decodeText(location, text.value)
      if (Either.isLeft(decoded)) return Either.left(decoded.left)
      const { credentials, written } = decoded.right
      last = { text: text.value, credentials, document: written?.document, base: undefined }
      return Either.right(credentials)
    },
    encode: (next) =>
      Either.mapLeft(encode(next, writtenOf(last)), (detail) =>
        new CredentialFileUnwritable({
          path: location,
          reason: "InvalidData",
          detail: `the new state does not match the schema: ${detail}`
        })),
    stored: (encoded) => {
      last = { text: encoded.text, credentials: undefined, document: encoded.document, base: writtenOf(last) }
    }
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
          if (Option.getOrUndefined(text) !== encoded.text) {
            yield* Effect.mapError(store.set(key, encoded.text), (e) => unwritable(location, e))
            codec.stored(encoded)
          }
          return result
        }))
    }
  })
