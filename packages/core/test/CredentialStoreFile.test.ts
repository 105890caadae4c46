import { SystemError } from "@effect/platform/Error"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodePath from "@effect/platform-node/NodePath"
import { afterAll, assert, describe, expect, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { patched, tempWrites } from "./fixtures/fileSystemFaults.js"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mbauth-store-file-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

let counter = 0
const freshDir = () => {
  const dir = path.join(root, `case-${++counter}`)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

const open = (options: CredentialStore.FileOptions) =>
  CredentialStore.makeFile(options).pipe(Effect.provide(NodeContext.layer))

const mode = (p: string) => fs.statSync(p).mode & 0o777
const listing = (dir: string) => fs.readdirSync(dir).sort()
const secret = (s: string) => Redacted.make(s)

// A pid that certainly belonged to a process that has exited.
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!

describe("CredentialStore.layerFile", () => {
  it.live("creates the directory 0700 and the file 0600, and leaves nothing else behind", () =>
    Effect.gen(function*() {
      const dir = path.join(freshDir(), "nested", "mbauth")
      const file = path.join(dir, "credentials.json")
      const store = yield* open({ path: file })
      assert.strictEqual(store.location, file)
      // Reading a store that does not exist yet creates nothing.
      assert.deepStrictEqual((yield* store.get).servers, {})
      assert.isFalse(fs.existsSync(dir))

      yield* store.setUser("server-1", { id: "user-1", name: "Alice", accessToken: secret("tok-1") })
      assert.strictEqual(mode(dir), 0o700)
      assert.strictEqual(mode(file), 0o600)
      assert.deepStrictEqual(listing(dir), ["credentials.json"])
      const document = JSON.parse(fs.readFileSync(file, "utf8"))
      assert.strictEqual(document.version, 2)
      assert.strictEqual(document.servers["server-1"].users["user-1"].accessToken, "tok-1")
    }))

  it.live("writes the file 0600 whatever the umask", () =>
    Effect.gen(function*() {
      for (const umask of [0o000, 0o022, 0o077, 0o277]) {
        const file = path.join(freshDir(), "credentials.json")
        const store = yield* open({ path: file })
        const previous = process.umask(umask)
        yield* store.upsertServer({ id: "s" }).pipe(Effect.ensuring(Effect.sync(() => process.umask(previous))))
        assert.strictEqual(mode(file), 0o600, `umask ${umask.toString(8)}`)
      }
    }))

  it.live("creates the directory again when it was removed between two writes", () =>
    Effect.gen(function*() {
      const dir = path.join(freshDir(), "mbauth")
      const file = path.join(dir, "credentials.json")
      const store = yield* open({ path: file })
      yield* store.upsertServer({ id: "first" })
      fs.rmSync(dir, { recursive: true })
      yield* store.upsertServer({ id: "second" })
      assert.strictEqual(mode(dir), 0o700)
      assert.deepStrictEqual(listing(dir), ["credentials.json"])
      assert.deepStrictEqual(Object.keys((yield* store.get).servers), ["second"])
    }))

  it.live("writes text beyond ASCII as UTF-8, exactly as the Schema encodes it", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      const store = yield* open({ path: file })
      // Two-, three- and four-byte characters, and a lone surrogate (which JSON escapes).
      const names = ["Küche", "Wohnzimmer – Jellyfin ✓", "Server 🎬", "odd \ud800 name"]
      for (const [i, name] of names.entries()) yield* store.upsertServer({ id: `s${i}`, name })
      yield* store.setUser("s1", { id: "u", name: "Zoë", accessToken: secret("tök-1") })
      const expected = Schema.encodeSync(CredentialStore.CredentialFile)(yield* store.get)
      assert.strictEqual(fs.readFileSync(file, "utf8"), JSON.stringify(expected, null, 2) + "\n")
      const fresh = yield* (yield* open({ path: file })).get
      assert.deepStrictEqual(Object.values(fresh.servers).map((s) => s.name), names)
      assert.strictEqual(Redacted.value(fresh.servers.s1!.users.u!.accessToken!), "tök-1")
      // An unchanged state written again leaves the file as it is.
      const before = fs.statSync(file).ino
      yield* store.upsertServer({ id: "s2", name: names[2] })
      assert.strictEqual(fs.statSync(file).ino, before)
    }))

  it.live("rewrites a pre-existing world-readable file as 0600", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      fs.writeFileSync(file, JSON.stringify({ version: 2, servers: {} }), { mode: 0o644 })
      fs.chmodSync(file, 0o644)
      const store = yield* open({ path: file })
      yield* store.upsertServer({ id: "s" })
      assert.strictEqual(mode(file), 0o600)
    }))

  it.live("does not rewrite an unchanged file", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      const store = yield* open({ path: file })
      yield* store.upsertServer({ id: "s", name: "S" })
      const before = fs.statSync(file).ino
      yield* store.upsertServer({ id: "s", name: "S" })
      assert.strictEqual(fs.statSync(file).ino, before)
    }))

  it.live("sees a change made by hand between two reads, even one that keeps the size and time", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      const store = yield* open({ path: file })
      yield* store.setUser("s", { id: "u", name: "Den", accessToken: secret("tok-1") })
      assert.strictEqual((yield* store.get).servers.s?.users.u?.name, "Den")
      const before = fs.statSync(file)
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("\"Den\"", "\"Lab\"").replace("tok-1", "tok-2"))
      fs.utimesSync(file, before.atime, before.mtime)
      const edited = yield* store.get
      assert.strictEqual(edited.servers.s?.users.u?.name, "Lab")
      assert.strictEqual(Redacted.value(edited.servers.s!.users.u!.accessToken!), "tok-2")
      // An update starts from the edited file, and what it wrote reads the same in a fresh store.
      yield* store.upsertServer({ id: "t", name: "Attic" })
      const fresh = yield* (yield* open({ path: file })).get
      for (const state of [yield* store.get, fresh]) {
        assert.deepStrictEqual(Object.keys(state.servers), ["s", "t"])
        assert.strictEqual(state.servers.s?.users.u?.name, "Lab")
        assert.strictEqual(Redacted.value(state.servers.s!.users.u!.accessToken!), "tok-2")
        assert.strictEqual(state.servers.t?.name, "Attic")
      }
    }))

  const corruptCases: ReadonlyArray<readonly [string, string | Uint8Array, RegExp, string?]> = [
    ["truncated JSON", "{\"version\":2,\"connect\":{\"userId\":\"u\",\"accessToken\":\"canary-9", /not valid JSON/],
    [
      "a token where an object belongs",
      JSON.stringify({ version: 2, servers: { s: { users: { u: { accessToken: ["canary-9"] } } } } }),
      /servers\.s\.users\.u\.accessToken/
    ],
    ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /UTF-8/],
    ["an unrelated JSON document", JSON.stringify({ name: "canary-9", editor: "vim" }), /"name", "editor"/, "Foreign"],
    [
      "another program's document with version 1",
      JSON.stringify({ version: 1, aws_access_key: "canary-9", profiles: {} }),
      /not an mbauth credential file .*"aws_access_key", "profiles"/,
      "Foreign"
    ],
    [
      "a version 2 document with fields mbauth does not write",
      JSON.stringify({ version: 2, servers: {}, profiles: { p: "canary-9" } }),
      /fields no credential file has: "profiles"/,
      "Foreign"
    ],
    ["a JSON array", JSON.stringify(["canary-9"]), /not a JSON object/, "Foreign"],
    ["an empty file", "", /empty/],
    ["an invalid date", JSON.stringify({ version: 2, servers: { s: { lastAccessed: "canary-9" } } }), /lastAccessed/]
  ]

  for (const [name, content, detail, kind = "Corrupt"] of corruptCases) {
    it.live(`reports ${name} as ${kind}CredentialFile and never overwrites it`, () =>
      Effect.gen(function*() {
        const dir = freshDir()
        const file = path.join(dir, "credentials.json")
        fs.writeFileSync(file, content, { mode: 0o600 })
        const before = fs.readFileSync(file)
        const store = yield* open({ path: file })
        const readError = yield* Effect.flip(store.get)
        const writeError = yield* Effect.flip(store.upsertServer({ id: "s2" }))
        for (const error of [readError, writeError]) {
          assert.strictEqual(error._tag, `${kind}CredentialFile`)
          assert.strictEqual((error as CredentialStore.CorruptCredentialFile | CredentialStore.ForeignCredentialFile).path, file)
          expect(error.message).toMatch(detail)
          expect(error.message).toContain(file)
          expect(error.message).not.toMatch(/canary/)
          expect(JSON.stringify(error)).not.toMatch(/canary/)
        }
        assert.isTrue(fs.readFileSync(file).equals(before))
        assert.deepStrictEqual(listing(dir), ["credentials.json"])
      }))
  }

  it.live("refuses a newer schema version and leaves the file alone", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      const content = JSON.stringify({ version: 3, servers: {}, somethingNew: true })
      fs.writeFileSync(file, content)
      const store = yield* open({ path: file })
      const error = yield* Effect.flip(store.setConnect({ userId: "u", accessToken: secret("t") }))
      assert.strictEqual(error._tag, "UnsupportedSchemaVersion")
      const unsupported = error as CredentialStore.UnsupportedSchemaVersion
      assert.strictEqual(unsupported.version, 3)
      assert.strictEqual(unsupported.supportedVersion, CredentialStore.currentVersion)
      assert.strictEqual(fs.readFileSync(file, "utf8"), content)
    }))

  it.live("migrates a v1 (servercredentials3) file: read as is, written as v2 on the next update", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      fs.copyFileSync(new URL("./fixtures/servercredentials3.json", import.meta.url), file)
      const original = fs.readFileSync(file, "utf8")
      const store = yield* open({ path: file })
      const migrated = yield* store.get
      assert.strictEqual(Object.keys(migrated.servers).length, 2)
      assert.strictEqual(fs.readFileSync(file, "utf8"), original)

      yield* store.upsertServer({ id: "a1b2c3d4e5f60718293a4b5c6d7e8f90", product: "Emby", version: "4.8.10.0" })
      const document = JSON.parse(fs.readFileSync(file, "utf8"))
      assert.strictEqual(document.version, 2)
      assert.strictEqual(document.connect.accessToken, "canary-connect-token-7f3a")
      const living = document.servers["a1b2c3d4e5f60718293a4b5c6d7e8f90"]
      assert.strictEqual(living.product, "Emby")
      assert.strictEqual(living.connect.accessKey, "canary-access-key-55d1")
      assert.strictEqual(living.users["user-alice"].accessToken, "canary-alice-token-19c2")
      assert.strictEqual(mode(file), 0o600)
    }))

  it.live("a full disk fails with CredentialFileUnwritable, keeps the old file and leaves no partial file", () => {
    const dir = freshDir()
    const file = path.join(dir, "credentials.json")
    const enospc = (fd: FileSystem.File.Descriptor) =>
      new SystemError({
        reason: "Unknown",
        module: "FileSystem",
        method: "writeAll",
        pathOrDescriptor: fd,
        description: "ENOSPC: no space left on device, write"
      })
    // Writes half of what it is given, then reports ENOSPC, as a filling disk does.
    const fullDisk = tempWrites((f, buffer) =>
      Effect.zipRight(f.writeAll(buffer.subarray(0, buffer.length >> 1)), Effect.fail(enospc(f.fd)))
    )

    return Effect.gen(function*() {
      const healthy = yield* open({ path: file })
      yield* healthy.upsertServer({ id: "kept", name: "Kept" })
      const before = fs.readFileSync(file)

      const store = yield* CredentialStore.makeFile({ path: file }).pipe(
        Effect.provide(Layer.merge(fullDisk, NodePath.layer))
      )
      const error = yield* Effect.flip(store.upsertServer({ id: "lost", name: "x".repeat(10_000) }))
      assert.strictEqual(error._tag, "CredentialFileUnwritable")
      const unwritable = error as CredentialStore.CredentialFileUnwritable
      assert.strictEqual(unwritable.path, file)
      expect(unwritable.message).toMatch(/no space left/)
      assert.isTrue(fs.readFileSync(file).equals(before))
      assert.deepStrictEqual(listing(dir), ["credentials.json"])
      assert.deepStrictEqual(Object.keys((yield* healthy.get).servers), ["kept"])
    })
  })

  it.live("times out with LockTimeout while a live process holds the lock", () =>
    Effect.gen(function*() {
      const dir = freshDir()
      const file = path.join(dir, "credentials.json")
      const lock = `${file}.lock`
      const record = JSON.stringify({ pid: process.pid, nonce: "someone-else" })
      fs.writeFileSync(lock, record)
      const store = yield* open({ path: file, lockTimeout: "150 millis" })
      const error = yield* Effect.flip(store.upsertServer({ id: "s" }))
      assert.strictEqual(error._tag, "LockTimeout")
      const timeout = error as CredentialStore.LockTimeout
      assert.strictEqual(timeout.lockPath, lock)
      assert.strictEqual(timeout.holderPid, process.pid)
      assert.isAtLeast(timeout.waitedMillis, 150)
      // Not ours to remove, and nothing of ours is left.
      assert.strictEqual(fs.readFileSync(lock, "utf8"), record)
      assert.deepStrictEqual(listing(dir), ["credentials.json.lock"])
    }))

  it.live("breaks a lock left by a dead process at once, and an abandoned one by its age", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      const lock = `${file}.lock`
      const store = yield* open({ path: file, lockTimeout: "5 seconds" })

      fs.writeFileSync(lock, JSON.stringify({ pid: deadPid(), nonce: "dead" }))
      yield* store.upsertServer({ id: "after-dead" })

      // Unreadable record, live-looking: only its age tells it is abandoned.
      fs.writeFileSync(lock, "garbage")
      const old = new Date(Date.now() - 3_600_000)
      fs.utimesSync(lock, old, old)
      yield* store.upsertServer({ id: "after-old" })

      assert.deepStrictEqual(Object.keys((yield* store.get).servers).sort(), ["after-dead", "after-old"])
      assert.isFalse(fs.existsSync(lock))
    }))

  it.live("sweeps temp files left by crashed writers", () =>
    Effect.gen(function*() {
      const dir = freshDir()
      const file = path.join(dir, "credentials.json")
      const dead = deadPid()
      fs.writeFileSync(path.join(dir, `.credentials.json.write.${dead}.0123abcd.tmp`), "{\"half\":")
      fs.writeFileSync(path.join(dir, `.credentials.json.lock.${dead}.0123abcd.tmp`), "{}")
      fs.writeFileSync(path.join(dir, "unrelated.tmp"), "keep me")
      const store = yield* open({ path: file })
      yield* store.upsertServer({ id: "s" })
      assert.deepStrictEqual(listing(dir), ["credentials.json", "unrelated.tmp"])
    }))

  it.live("two store instances in one process writing at once lose nothing", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      const a = yield* open({ path: file })
      const b = yield* open({ path: file })
      yield* Effect.forEach(
        Array.from({ length: 24 }, (_, i) => i),
        (i) => (i % 2 === 0 ? a : b).setUser(`server-${i}`, { id: `user-${i}`, accessToken: secret(`t${i}`) }),
        { concurrency: "unbounded", discard: true }
      )
      const servers = (yield* a.get).servers
      assert.strictEqual(Object.keys(servers).length, 24)
    }))

  it.live("an interrupted waiter leaves the holder's lock and no file of its own", () =>
    Effect.gen(function*() {
      const dir = freshDir()
      const file = path.join(dir, "credentials.json")
      const lock = `${file}.lock`
      const record = JSON.stringify({ pid: process.pid, nonce: "holder" })
      fs.writeFileSync(lock, record)
      const store = yield* open({ path: file, lockTimeout: "20 seconds" })
      const fiber = yield* Effect.fork(store.upsertServer({ id: "s" }))
      yield* Effect.sleep("60 millis")
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(fs.readFileSync(lock, "utf8"), record)
      assert.deepStrictEqual(listing(dir), ["credentials.json.lock"])
    }))

  it.live("a waiter interrupted just after writing its lock record leaves no file of its own", () => {
    const dir = freshDir()
    const file = path.join(dir, "credentials.json")
    // The lock record is written, and its write then takes a while to return: the interruption
    // lands after the file exists and before anything would remove it.
    const slowLockRecord = patched((real) => ({
      writeFileString: (target, data, options) =>
        Effect.zipRight(
          real.writeFileString(target, data, options),
          path.basename(target).includes(".lock.") ? Effect.sleep("150 millis") : Effect.void
        )
    }))
    const recordWritten = Effect.suspend(() =>
      fs.readdirSync(dir).some((name) => name.includes(".lock.")) ? Effect.void : Effect.fail("not yet")
    ).pipe(Effect.retry({ schedule: Schedule.spaced("2 millis") }))
    return Effect.gen(function*() {
      const store = yield* CredentialStore.makeFile({ path: file }).pipe(
        Effect.provide(Layer.merge(slowLockRecord, NodePath.layer))
      )
      const fiber = yield* Effect.fork(store.upsertServer({ id: "s" }))
      yield* recordWritten
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(listing(dir), [])
    })
  })

  it.live("a directory in place of the file is CredentialFileUnreadable", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      fs.mkdirSync(file)
      const store = yield* open({ path: file })
      const error = yield* Effect.flip(store.get)
      assert.strictEqual(error._tag, "CredentialFileUnreadable")
      assert.strictEqual((error as CredentialStore.CredentialFileUnreadable).path, file)
    }))

  it.live("a named pipe in place of the file is CredentialFileUnreadable, without waiting for a writer", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir(), "credentials.json")
      execFileSync("mkfifo", ["-m", "600", file])
      const store = yield* open({ path: file })
      const error = yield* Effect.flip(store.get).pipe(Effect.timeout("5 seconds"))
      assert.strictEqual(error._tag, "CredentialFileUnreadable")
      expect(error.message).toContain("it is a fifo, not a file")
    }).pipe(
      // A reader blocked in open() on the pipe would hold a thread of the pool: a writer releases it.
      Effect.ensuring(Effect.sync(() => {
        const dirs = fs.readdirSync(root).map((name) => path.join(root, name, "credentials.json"))
        for (const file of dirs.filter((p) => fs.existsSync(p) && fs.statSync(p).isFIFO())) {
          try {
            fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK))
          } catch {
            // No reader is waiting.
          }
        }
      }))
    ))

  it.live("a file larger than any credential file is refused without being read", () =>
    Effect.gen(function*() {
      const dir = freshDir()
      const file = path.join(dir, "credentials.json")
      fs.writeFileSync(file, "{\"version\":2}", { mode: 0o600 })
      fs.truncateSync(file, 9 * 1024 * 1024)
      const store = yield* open({ path: file })
      for (const error of [yield* Effect.flip(store.get), yield* Effect.flip(store.upsertServer({ id: "s" }))]) {
        assert.strictEqual(error._tag, "CorruptCredentialFile")
        expect(error.message).toContain("larger than any credential file")
      }
      assert.strictEqual(fs.statSync(file).size, 9 * 1024 * 1024)
      assert.deepStrictEqual(listing(dir), ["credentials.json"])
    }))

  it.live("layerFileConfig uses MBAUTH_CONFIG_DIR", () =>
    Effect.gen(function*() {
      const dir = path.join(freshDir(), "cfg")
      const previous = process.env.MBAUTH_CONFIG_DIR
      process.env.MBAUTH_CONFIG_DIR = dir
      const location = yield* Effect.map(CredentialStore.CredentialStore, (s) => s.location).pipe(
        Effect.provide(CredentialStore.layerFileConfig()),
        Effect.provide(NodeContext.layer),
        Effect.ensuring(Effect.sync(() => {
          if (previous === undefined) delete process.env.MBAUTH_CONFIG_DIR
          else process.env.MBAUTH_CONFIG_DIR = previous
        }))
      )
      assert.strictEqual(location, path.join(dir, "credentials.json"))
    }))
})
