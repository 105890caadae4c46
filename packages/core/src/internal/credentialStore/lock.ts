/**
 * An inter-process lock next to the credential file (`<file>.lock`).
 *
 * Taking it: write our owner record `{pid, nonce, createdAt}` to a private temp file, then
 * hard-link that to the lock path. `link` fails with EEXIST when the lock is held and, unlike
 * `open(O_EXCL)` + write, never exposes a half-written lock, so a holder killed at any instant
 * leaves either no lock or a complete one with its pid.
 *
 * A held lock is stale when its pid is dead (same host) or when it is older than `staleMillis`
 * (a pid reused by another process, another host on a shared disk, an unreadable record).
 * Breaking a stale lock goes through a second lock (`<file>.lock.break`, taken the same way): the
 * breaker re-reads the lock and only removes it when it is still the record judged stale. Without
 * that, two waiters that both saw the same stale lock could delete a fresh lock taken in between.
 *
 * Waiting is bounded: exponential backoff with jitter up to `timeoutMillis`, then `LockTimeout`.
 *
 * @internal
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import { type CredentialFileUnwritable, LockTimeout, unwritable } from "./errors.js"

/** @internal */
export interface LockOptions {
  readonly path: string
  readonly timeoutMillis: number
  readonly staleMillis: number
}

interface Owner {
  readonly pid: number | undefined
  readonly nonce: string
}

/** The current process id where there is one (Node, Bun, Deno's node compat). @internal */
export const currentPid = (): number | undefined => {
  const pid = (globalThis as { process?: { pid?: unknown } }).process?.pid
  return typeof pid === "number" ? pid : undefined
}

/**
 * `kill(pid, 0)` probes without signalling: ESRCH means gone, EPERM means alive but not ours.
 * Without a `process` global we cannot tell, so the lock counts as alive (age still applies).
 *
 * @internal
 */
export const isAlive = (pid: number): boolean => {
  const kill = (globalThis as { process?: { kill?: (pid: number, signal: number) => void } }).process?.kill
  if (typeof kill !== "function") return true
  try {
    kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: unknown }).code !== "ESRCH"
  }
}

/** @internal */
export const randomNonce: Effect.Effect<string> = Effect.map(
  Effect.all([Random.nextInt, Random.nextInt]),
  ([a, b]) => (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0")
)

const parseOwner = (text: string): Owner | undefined => {
  try {
    const json = JSON.parse(text) as { pid?: unknown; nonce?: unknown }
    if (typeof json.nonce !== "string") return undefined
    return { pid: typeof json.pid === "number" ? json.pid : undefined, nonce: json.nonce }
  } catch {
    return undefined
  }
}

/**
 * Temp files live next to the credential file and are named
 * `.<file>.<kind>.<pid>.<nonce>.tmp`, so a holder can sweep what crashed processes left behind.
 *
 * @internal
 */
export const tempName = (base: string, kind: "lock" | "write", pid: number | undefined, nonce: string) =>
  `.${base}.${kind}.${pid ?? 0}.${nonce}.tmp`

/** @internal */
export const parseTempName = (base: string, name: string): { kind: "lock" | "write"; pid: number } | undefined => {
  const prefix = `.${base}.`
  if (!name.startsWith(prefix) || !name.endsWith(".tmp")) return undefined
  const match = /^(lock|write)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length))
  return match === null ? undefined : { kind: match[1] as "lock" | "write", pid: Number(match[2]) }
}

/**
 * Runs `use` while holding the lock on `options.path`. The lock is released when `use` ends,
 * fails or is interrupted.
 *
 * @internal
 */
export const withLock = <A, E, R>(
  fs: FileSystem.FileSystem,
  path: Path.Path,
  options: LockOptions,
  use: Effect.Effect<A, E, R>
): Effect.Effect<A, E | LockTimeout | CredentialFileUnwritable, R> => {
  const lockPath = `${options.path}.lock`
  const breakPath = `${lockPath}.break`
  const directory = path.dirname(options.path)
  const base = path.basename(options.path)
  const pid = currentPid()

  // None when there is no such file; an unreadable one counts as a record we cannot parse.
  const readOwner = (file: string): Effect.Effect<Option.Option<{ text: string; owner: Owner | undefined }>> =>
    fs.readFileString(file).pipe(
      Effect.map((text) => Option.some({ text, owner: parseOwner(text) })),
      Effect.catchAll((e) =>
        Effect.succeed(
          e._tag === "SystemError" && e.reason === "NotFound"
            ? Option.none()
            : Option.some({ text: "", owner: undefined })
        )
      )
    )

  const ageMillis = (file: string, now: number) =>
    fs.stat(file).pipe(
      Effect.map((info) => Option.match(info.mtime, { onNone: () => 0, onSome: (m) => now - m.getTime() })),
      Effect.orElseSucceed(() => 0)
    )

  const isStale = (owner: Owner | undefined, age: number) =>
    age > options.staleMillis ||
    (owner?.pid !== undefined && owner.pid !== pid && !isAlive(owner.pid))

  // link(temp → target): true when taken, false when someone else holds it.
  const tryLink = (temp: string, target: string) =>
    fs.link(temp, target).pipe(
      Effect.as(true),
      Effect.catchIf(
        (e) => e._tag === "SystemError" && e.reason === "AlreadyExists",
        () => Effect.succeed(false)
      ),
      Effect.mapError((e) => unwritable(options.path, e, `cannot take the lock ${target}`))
    )

  const removeIfSame = (file: string, text: string) =>
    readOwner(file).pipe(
      Effect.flatMap((current) =>
        Option.isSome(current) && current.value.text === text ? fs.remove(file) : Effect.void
      ),
      Effect.ignore
    )

  // Removes the lock `seen` (judged stale) unless it was replaced meanwhile.
  const breakStale = (temp: string, seen: string, now: number) =>
    Effect.gen(function*() {
      if (yield* tryLink(temp, breakPath)) {
        yield* removeIfSame(lockPath, seen).pipe(Effect.ensuring(Effect.ignore(fs.remove(breakPath))))
        return
      }
      // The breaker lock is held for microseconds; a stale one was left by a crash.
      const breaker = yield* readOwner(breakPath)
      if (Option.isSome(breaker) && isStale(breaker.value.owner, yield* ageMillis(breakPath, now))) {
        yield* removeIfSame(breakPath, breaker.value.text)
      }
    })

  const acquire = (temp: string, started: number) =>
    Effect.gen(function*() {
      // After the lock vanished or was broken, retry at once, but never twice in a row: every
      // other path goes through the deadline check and a backoff sleep, so the loop always ends.
      let retryNow = false
      for (let attempt = 0;; attempt++) {
        if (yield* tryLink(temp, lockPath)) return
        const now = yield* Clock.currentTimeMillis
        const holder = yield* readOwner(lockPath)
        const wasRetry: boolean = retryNow
        retryNow = false
        if (Option.isNone(holder)) {
          retryNow = !wasRetry
        } else if (isStale(holder.value.owner, yield* ageMillis(lockPath, now))) {
          yield* breakStale(temp, holder.value.text, now)
          retryNow = !wasRetry
        }
        if (retryNow) continue
        const waited = now - started
        if (waited >= options.timeoutMillis) {
          const holderPid = Option.isSome(holder) ? holder.value.owner?.pid : undefined
          return yield* new LockTimeout({
            path: options.path,
            lockPath,
            waitedMillis: waited,
            ...(holderPid === undefined ? {} : { holderPid })
          })
        }
        const jitter = yield* Random.nextRange(0.5, 1.5)
        const delay = Math.min(100, 2 * 1.5 ** Math.min(attempt, 20)) * jitter
        yield* Effect.sleep(Math.min(delay, options.timeoutMillis - waited + 1))
      }
    })

  return Effect.gen(function*() {
    const nonce = yield* randomNonce
    const record = JSON.stringify({ pid: pid ?? null, nonce, createdAt: new Date(yield* Clock.currentTimeMillis) })
    const temp = path.join(directory, tempName(base, "lock", pid, nonce))
    const started = yield* Clock.currentTimeMillis
    const writeRecordOnce = fs.writeFileString(temp, record, { flag: "wx", mode: 0o600 }).pipe(
      Effect.mapError((e) => unwritable(options.path, e, `cannot create a lock file in ${directory}`))
    )
    // The directory is created only when the record cannot be written for want of it: every
    // other write skips this.
    const makeDirectory = fs.makeDirectory(directory, { recursive: true, mode: 0o700 }).pipe(
      Effect.mapError((e) => unwritable(options.path, e, `cannot create the directory ${directory}`))
    )
    const writeRecord = writeRecordOnce.pipe(
      Effect.catchIf(
        (e) => e.reason === "NotFound",
        () => Effect.zipRight(makeDirectory, writeRecordOnce)
      )
    )
    // Writing the record and registering its removal happen without an interruption between them
    // (else a waiter cancelled right after the write would leave its temp file). Waiting and `use`
    // stay interruptible (a waiter can be cancelled); the release only removes a lock holding our
    // own record, so it is safe whether or not the link went through.
    return yield* Effect.uninterruptibleMask((restore) =>
      Effect.zipRight(
        writeRecord,
        restore(acquire(temp, started)).pipe(
          Effect.ensuring(Effect.ignore(fs.remove(temp))),
          Effect.zipRight(restore(use)),
          Effect.ensuring(removeIfSame(lockPath, record))
        )
      )
    )
  })
}
