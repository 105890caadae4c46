/**
 * The JSON file backend.
 *
 * Reads take no lock: every write replaces the file by `rename`, so a reader sees the old or the
 * new complete file. Writes run under the inter-process lock and re-read the file first, so
 * concurrent writers serialise and none loses another's change. A write goes to a temp file in
 * the same directory (mode 0600), is fsynced, renamed over the file, and the directory is fsynced
 * so the rename itself survives a power cut. The file is never truncated or written in place, so
 * a crash, a full disk or a read-only directory leaves the previous file as it was.
 *
 * @internal
 */
import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Backend } from "./backend.js"
import { makeCodec } from "./backend.js"
import { maxDocumentBytes } from "./document.js"
import { CorruptCredentialFile, CredentialFileUnreadable, unreadable, unwritable } from "./errors.js"
import { currentPid, isAlive, parseTempName, randomNonce, tempName, withLock } from "./lock.js"
import type { Credentials } from "./schema.js"

/** @internal */
export interface FileOptions {
  readonly path: string
  readonly lockTimeoutMillis: number
  readonly staleLockMillis: number
}

const isNotFound = (e: PlatformError.PlatformError) => e._tag === "SystemError" && e.reason === "NotFound"

// An exclusive section (a sign-in) runs network calls, so it is held longer than a write: waiters
// wait longer, and only a much older lock of a live pid counts as abandoned.
const exclusiveWaitMillis = 120_000
const exclusiveStaleMillis = 300_000

// A short file-name-safe name for a key of any length or alphabet (FNV-1a, two 32-bit lanes).
const keyHash = (key: string): string => {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x811c9dc5) + i
  }
  return `x${(a >>> 0).toString(16).padStart(8, "0")}${(b >>> 0).toString(16).padStart(8, "0")}`
}

/** @internal */
export const makeFile = (
  options: FileOptions
): Effect.Effect<Backend, never, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const file = path.resolve(options.path)
    const directory = path.dirname(file)
    const base = path.basename(file)
    // Fibers of this process queue here; the file lock is for other processes.
    const semaphore = yield* Effect.makeSemaphore(1)
    const decoder = new TextDecoder("utf-8", { fatal: true })
    const encoder = new TextEncoder()
    const codec = makeCodec(file)

    const tooLarge = (size: number) =>
      new CorruptCredentialFile({
        path: file,
        detail: `${size} bytes, larger than any credential file (limit ${maxDocumentBytes})`
      })

    const orNoneIfAbsent = <A>(effect: Effect.Effect<A, PlatformError.PlatformError>) =>
      effect.pipe(
        Effect.map(Option.some),
        Effect.catchIf(isNotFound, () => Effect.succeedNone),
        Effect.mapError((e) => unreadable(file, e))
      )

    // The file's bytes, or none when there is no file. A stat first: a directory, a pipe (whose
    // open would wait for a writer) or a wrong, huge file is refused without being read. Two calls
    // of the FileSystem service cost half the time of an open handle's four (open, fstat, read,
    // close, each with its own scope and lock in the service).
    const readBytes: Effect.Effect<
      Option.Option<Uint8Array>,
      CredentialFileUnreadable | CorruptCredentialFile
    > = Effect.gen(function*() {
      const info = yield* orNoneIfAbsent(fs.stat(file))
      if (Option.isNone(info)) return Option.none()
      if (info.value.type !== "File") {
        return yield* new CredentialFileUnreadable({
          path: file,
          reason: "BadResource",
          detail: `it is a ${info.value.type.toLowerCase()}, not a file`
        })
      }
      if (Number(info.value.size) > maxDocumentBytes) return yield* tooLarge(Number(info.value.size))
      // Deleted since the stat: absent, as a read a moment later would find it. Grown: refused.
      const bytes = yield* orNoneIfAbsent(fs.readFile(file))
      if (Option.isSome(bytes) && bytes.value.length > maxDocumentBytes) return yield* tooLarge(bytes.value.length)
      return bytes
    })

    const readText: Effect.Effect<
      Option.Option<string>,
      CredentialFileUnreadable | CorruptCredentialFile
    > = Effect.flatMap(readBytes, (bytes) => {
      if (Option.isNone(bytes)) return Effect.succeedNone
      try {
        return Effect.succeedSome(decoder.decode(bytes.value))
      } catch {
        return new CorruptCredentialFile({ path: file, detail: "not valid UTF-8 text" })
      }
    })

    const readDecoded = Effect.flatMap(readText, (text) => Effect.map(codec.decode(text), (c) => [text, c] as const))

    // Temp files of writers that crashed. Only lock holders create `write` temps, and we hold the
    // lock, so every one found is garbage; `lock` temps belong to their pid while it lives.
    const sweep = fs.readDirectory(directory).pipe(
      Effect.flatMap((names) =>
        Effect.forEach(names, (name) => {
          const temp = parseTempName(base, name)
          if (temp === undefined) return Effect.void
          if (temp.kind === "lock" && (temp.pid === currentPid() || isAlive(temp.pid))) return Effect.void
          return fs.remove(path.join(directory, name))
        }, { discard: true })
      ),
      Effect.ignore
    )

    const writeAtomically = (bytes: Uint8Array) =>
      Effect.gen(function*() {
        const temp = path.join(directory, tempName(base, "write", currentPid(), yield* randomNonce))
        let renamed = false
        yield* Effect.gen(function*() {
          yield* Effect.scoped(Effect.gen(function*() {
            const handle = yield* fs.open(temp, { flag: "wx", mode: 0o600 })
            yield* handle.writeAll(bytes)
            yield* handle.sync
          }))
          // open's mode went through the umask; make it exactly owner read/write.
          yield* fs.chmod(temp, 0o600)
          yield* fs.rename(temp, file)
          renamed = true
        }).pipe(
          Effect.mapError((e) => unwritable(file, e)),
          Effect.ensuring(Effect.suspend(() => renamed ? Effect.void : Effect.ignore(fs.remove(temp))))
        )
        // Make the rename durable. Directories cannot be opened for fsync everywhere (Windows),
        // and by now the new file is in place, so this is best effort.
        yield* Effect.scoped(Effect.flatMap(fs.open(directory, { flag: "r" }), (d) => d.sync)).pipe(Effect.ignore)
      })

    const lockOptions = {
      path: file,
      timeoutMillis: options.lockTimeoutMillis,
      staleMillis: options.staleLockMillis
    }
    const load = Effect.map(readDecoded, ([, credentials]) => credentials)

    return {
      location: file,
      load,
      // A lock of its own per key (`<file>.<key hash>.lock`), taken as the store's lock is: taking
      // it creates a file next to the store, so holding it also proves the folder writable, and
      // the store's own writes inside `use` still take the store's lock.
      exclusive: (key) => (use) =>
        withLock(fs, path, {
          path: `${file}.${keyHash(key)}`,
          timeoutMillis: Math.max(options.lockTimeoutMillis, exclusiveWaitMillis),
          staleMillis: Math.max(options.staleLockMillis, exclusiveStaleMillis)
        }, Effect.zipRight(load, use)),
      modify: <A>(f: (credentials: Credentials) => readonly [A, Credentials]) =>
        semaphore.withPermits(1)(
          withLock(
            fs,
            path,
            lockOptions,
            Effect.gen(function*() {
              yield* sweep
              const [text, current] = yield* readDecoded
              const [result, next] = f(current)
              const encoded = yield* codec.encode(next)
              if (Option.getOrUndefined(text) !== encoded) yield* writeAtomically(encoder.encode(encoded))
              return result
            })
          )
        )
    } satisfies Backend
  })
