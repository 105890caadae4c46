import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as NodePath from "@effect/platform-node/NodePath"
import { assert, describe, expect, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Arbitrary from "effect/Arbitrary"
import * as ConfigProvider from "effect/ConfigProvider"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { inspect } from "node:util"

const at = (ms: number) => DateTime.unsafeMake(ms)
const secret = (s: string) => Redacted.make(s)
const reveal = (r: Redacted.Redacted<string> | undefined) => (r === undefined ? undefined : Redacted.value(r))

const server = (c: CredentialStore.Credentials, id: string) => Option.getOrThrow(CredentialStore.findServer(c, id))

const withStore = <A, E>(f: (store: CredentialStore.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(CredentialStore.makeMemory(), f)

describe("CredentialStore merge rules", () => {
  it("adds an unknown server and matches a known one by Id, case-insensitively", () => {
    let c = CredentialStore.mergeServer(CredentialStore.empty, { id: "ABCDEF", name: "Den" })
    c = CredentialStore.mergeServer(c, { id: "abcdef", version: "10.10.3" })
    assert.deepStrictEqual(Object.keys(c.servers), ["ABCDEF"])
    const s = server(c, "AbCdEf")
    assert.strictEqual(s.id, "ABCDEF")
    assert.strictEqual(s.name, "Den")
    assert.strictEqual(s.version, "10.10.3")
  })

  it.effect("keeps a \"__proto__\" server key a key through every change, so encode refuses it instead of losing it", () =>
    Effect.gen(function*() {
      const odd = CredentialStore.mergeServer(CredentialStore.empty, { id: "__proto__", name: "odd" })
      const store = yield* CredentialStore.makeMemory(odd)
      yield* store.setConnect({ userId: "cu", accessToken: secret("ct") })
      yield* store.upsertServer({ id: "b", name: "B" })
      yield* store.upsertServer({ id: "a", connect: { accessKey: secret("k") } })
      yield* store.removeServer("b")
      yield* store.clearConnect
      const state = yield* store.get
      assert.strictEqual(Object.getPrototypeOf(state.servers), Object.prototype)
      assert.deepStrictEqual(Object.keys(state.servers), ["__proto__", "a"])
      assert.strictEqual(state.servers["__proto__"]?.name, "odd")
      assert.isUndefined(state.servers.a?.connect?.accessKey)
    }))

  it("keeps the later lastAccessed", () => {
    const later = CredentialStore.mergeServer(CredentialStore.empty, { id: "s", lastAccessed: at(2_000) })
    const kept = CredentialStore.mergeServer(later, { id: "s", lastAccessed: at(1_000) })
    assert.strictEqual(DateTime.toEpochMillis(server(kept, "s").lastAccessed!), 2_000)
    const moved = CredentialStore.mergeServer(later, { id: "s", lastAccessed: at(3_000) })
    assert.strictEqual(DateTime.toEpochMillis(server(moved, "s").lastAccessed!), 3_000)
  })

  it("copies fields only when present and non-empty (a merge never clears)", () => {
    const full = CredentialStore.mergeServer(CredentialStore.empty, {
      id: "s",
      name: "Den",
      product: "Emby",
      version: "4.8.0.0",
      addresses: { local: "http://10.0.0.2:8096", remote: "https://r.example", manual: "http://den:8096" },
      lastConnectionMode: "Remote",
      connect: { serverId: "cs-1", accessKey: secret("key-1") },
      lastUserId: "u1",
      users: [{ id: "u1", name: "Alice", accessToken: secret("tok-1") }]
    })
    const merged = CredentialStore.mergeServer(full, {
      id: "s",
      name: "",
      product: undefined,
      version: "",
      addresses: { local: undefined, remote: "", manual: "http://den.lan:8096" },
      connect: { serverId: "", accessKey: undefined },
      users: [{ id: "u1", name: undefined, accessToken: undefined }]
    })
    const s = server(merged, "s")
    assert.strictEqual(s.name, "Den")
    assert.strictEqual(s.product, "Emby")
    assert.strictEqual(s.version, "4.8.0.0")
    assert.deepStrictEqual(s.addresses, {
      local: "http://10.0.0.2:8096",
      remote: "https://r.example",
      manual: "http://den.lan:8096"
    })
    assert.strictEqual(s.lastConnectionMode, "Remote")
    assert.strictEqual(s.connect?.serverId, "cs-1")
    assert.strictEqual(reveal(s.connect?.accessKey), "key-1")
    assert.strictEqual(s.users.u1?.name, "Alice")
    assert.strictEqual(reveal(s.users.u1?.accessToken), "tok-1")
  })

  it("merges users per user id and replaces a token only with a new one", () => {
    let c = CredentialStore.mergeServer(CredentialStore.empty, {
      id: "s",
      users: [{ id: "u1", name: "Alice", accessToken: secret("tok-1") }]
    })
    c = CredentialStore.mergeServer(c, { id: "s", users: [{ id: "u2", name: "Bob", accessToken: secret("tok-2") }] })
    c = CredentialStore.mergeServer(c, { id: "s", users: [{ id: "U1", accessToken: secret("tok-1b") }] })
    const users = server(c, "s").users
    assert.deepStrictEqual(Object.keys(users).sort(), ["u1", "u2"])
    assert.strictEqual(users.u1?.name, "Alice")
    assert.strictEqual(reveal(users.u1?.accessToken), "tok-1b")
    assert.strictEqual(reveal(users.u2?.accessToken), "tok-2")
  })

  it.prop(
    "a merge never loses a saved field and is idempotent",
    {
      saved: Arbitrary.make(CredentialStore.Server),
      incoming: Arbitrary.make(CredentialStore.Server)
    },
    ({ incoming, saved: generated }) => {
      // In a real store users are keyed by their id; the arbitrary's keys are unrelated.
      const saved = { ...generated, users: Object.fromEntries(Object.values(generated.users).map((u) => [u.id, u])) }
      const base: CredentialStore.Credentials = { servers: { [saved.id]: saved } }
      const update: CredentialStore.ServerUpdate = { ...incoming, id: saved.id, users: Object.values(incoming.users) }
      const once = CredentialStore.mergeServer(base, update)
      const twice = CredentialStore.mergeServer(once, update)
      expect(twice).toEqual(once)
      const merged = server(once, saved.id)
      for (const key of ["name", "product", "version", "lastConnectionMode", "lastAccessed", "lastUserId"] as const) {
        if (saved[key] !== undefined && (saved[key] as unknown) !== "") assert.isDefined(merged[key], key)
      }
      for (const key of ["local", "remote", "manual"] as const) {
        if ((saved.addresses[key] ?? "") !== "") assert.isDefined(merged.addresses[key], key)
      }
      for (const [userId, user] of Object.entries(saved.users)) {
        // The same user: by its own id first (a saved "E" and "e" are two users, both kept), else
        // by the case-insensitive match a merge may have folded it into.
        const now = merged.users[userId] ?? Object.values(merged.users).find((u) => u.id.toLowerCase() === userId.toLowerCase())
        assert.isDefined(now, userId)
        if (user.accessToken !== undefined) assert.isDefined(now!.accessToken)
      }
      if (saved.connect?.accessKey !== undefined) assert.isDefined(merged.connect?.accessKey)
    },
    { fastCheck: { numRuns: 60 } }
  )

  it.effect("clearing is explicit: clearUserToken, removeUser, removeServer", () =>
    withStore((store) =>
      Effect.gen(function*() {
        yield* store.setUser("s", { id: "u1", name: "Alice", accessToken: secret("tok-1") })
        yield* store.setUser("s", { id: "u2", name: "Bob", accessToken: secret("tok-2") })
        assert.strictEqual((yield* store.getServer("s")).pipe(Option.getOrThrow).lastUserId, "u2")

        // Saving a user without a token keeps the token.
        yield* store.setUser("s", { id: "u1", name: "Alice A." })
        let s = Option.getOrThrow(yield* store.getServer("s"))
        assert.strictEqual(reveal(s.users.u1?.accessToken), "tok-1")

        assert.isTrue(yield* store.clearUserToken("s", "u1"))
        assert.isFalse(yield* store.clearUserToken("s", "u1"))
        s = Option.getOrThrow(yield* store.getServer("s"))
        assert.strictEqual(s.users.u1?.name, "Alice A.")
        assert.isUndefined(s.users.u1?.accessToken)

        // setUser made u1 the last user; removing it forgets that too.
        assert.strictEqual(s.lastUserId, "u1")
        assert.isTrue(yield* store.removeUser("s", "U1"))
        s = Option.getOrThrow(yield* store.getServer("s"))
        assert.deepStrictEqual(Object.keys(s.users), ["u2"])
        assert.isUndefined(s.lastUserId)

        assert.isFalse(yield* store.removeServer("nope"))
        assert.isTrue(yield* store.removeServer("S"))
        assert.isTrue(Option.isNone(yield* store.getServer("s")))
      })
    ))

  it.effect("reconcileConnectServers only adds and updates unless removal is asked for", () =>
    withStore((store) =>
      Effect.gen(function*() {
        yield* store.upsertServer({ id: "direct", name: "Direct", addresses: { manual: "http://d:8096" } })
        yield* store.upsertServer({ id: "a", connect: { serverId: "ca", accessKey: secret("ka") } })
        yield* store.upsertServer({
          id: "b",
          connect: { serverId: "cb", accessKey: secret("kb") },
          users: [{ id: "u", accessToken: secret("tb") }]
        })
        yield* store.upsertServer({ id: "c", connect: { serverId: "cc", accessKey: secret("kc") } })

        // An empty list (what a failed or partial Connect call looks like) removes nothing.
        let c = yield* store.reconcileConnectServers([])
        assert.deepStrictEqual(Object.keys(c.servers).sort(), ["a", "b", "c", "direct"])

        c = yield* store.reconcileConnectServers([
          { id: "a", name: "A", addresses: { remote: "https://a.example" } },
          { id: "new", name: "New", connect: { serverId: "cn", accessKey: secret("kn") } }
        ])
        assert.deepStrictEqual(Object.keys(c.servers).sort(), ["a", "b", "c", "direct", "new"])
        assert.strictEqual(server(c, "a").name, "A")
        assert.strictEqual(reveal(server(c, "a").connect?.accessKey), "ka")

        // Explicit removal unlinks missing Connect servers; one with a signed-in user stays, unlinked.
        c = yield* store.reconcileConnectServers([{ id: "a" }, { id: "new" }], { removeMissing: true })
        assert.deepStrictEqual(Object.keys(c.servers).sort(), ["a", "b", "direct", "new"])
        assert.isUndefined(server(c, "b").connect)
        assert.strictEqual(reveal(server(c, "b").users.u?.accessToken), "tb")
      })
    ))

  it.effect("clearConnect forgets the identity and every AccessKey, not the servers", () =>
    withStore((store) =>
      Effect.gen(function*() {
        yield* store.setConnect({ userId: "cu", accessToken: secret("ct") })
        yield* store.upsertServer({ id: "a", connect: { serverId: "ca", accessKey: secret("ka") } })
        yield* store.setUser("a", { id: "u", accessToken: secret("t") })
        yield* store.clearConnect
        const c = yield* store.get
        assert.isUndefined(c.connect)
        assert.strictEqual(server(c, "a").connect?.serverId, "ca")
        assert.isUndefined(server(c, "a").connect?.accessKey)
        assert.strictEqual(reveal(server(c, "a").users.u?.accessToken), "t")
      })
    ))

  it.effect("modify and update are atomic under concurrency", () =>
    withStore((store) =>
      Effect.gen(function*() {
        yield* Effect.forEach(
          Array.from({ length: 50 }, (_, i) => i),
          (i) => Effect.zipRight(Effect.yieldNow(), store.upsertServer({ id: `s${i}` })),
          { concurrency: "unbounded", discard: true }
        )
        const counted = yield* store.modify((c) => [Object.keys(c.servers).length, c] as const)
        assert.strictEqual(counted, 50)
        const next = yield* store.update((c) => CredentialStore.mergeServer(c, { id: "extra" }))
        assert.strictEqual(Object.keys(next.servers).length, 51)
        assert.deepStrictEqual(
          (yield* store.listServers).length,
          51
        )
      })
    ))

  it("sortedServers lists the most recently accessed first", () => {
    let c = CredentialStore.mergeServer(CredentialStore.empty, { id: "old", lastAccessed: at(1) })
    c = CredentialStore.mergeServer(c, { id: "never", name: "zz" })
    c = CredentialStore.mergeServer(c, { id: "recent", lastAccessed: at(5) })
    assert.deepStrictEqual(CredentialStore.sortedServers(c).map((s) => s.id), ["recent", "old", "never"])
  })
})

describe("CredentialStore document", () => {
  const decodeText = Schema.decodeUnknownSync(Schema.parseJson(CredentialStore.CredentialFile))
  const encodeText = Schema.encodeSync(Schema.parseJson(CredentialStore.CredentialFile))

  it.prop(
    "the file encoding round-trips",
    { credentials: Arbitrary.make(CredentialStore.Credentials) },
    ({ credentials }) => {
      // Record keys are the ids in the file; the arbitrary's keys and ids are unrelated, so key them.
      const keyed: CredentialStore.Credentials = {
        ...credentials,
        servers: Object.fromEntries(
          Object.values(credentials.servers).map((s) => [
            s.id,
            { ...s, users: Object.fromEntries(Object.values(s.users).map((u) => [u.id, u])) }
          ])
        )
      }
      expect(decodeText(encodeText(keyed))).toEqual(keyed)
    },
    { fastCheck: { numRuns: 40 } }
  )

  it("migrates the Emby web servercredentials3 document (v1)", () => {
    const text = readFileSync(new URL("./fixtures/servercredentials3.json", import.meta.url), "utf8")
    const v1 = Schema.decodeUnknownSync(Schema.parseJson(CredentialStore.CredentialFileV1))(text)
    const c = CredentialStore.migrateV1(v1)
    assert.strictEqual(c.connect?.userId, "connect-user-1")
    assert.strictEqual(reveal(c.connect?.accessToken), "canary-connect-token-7f3a")
    assert.deepStrictEqual(Object.keys(c.servers).sort(), ["0f0e0d0c0b0a09080706050403020100", "a1b2c3d4e5f60718293a4b5c6d7e8f90"])

    const living = server(c, "a1b2c3d4e5f60718293a4b5c6d7e8f90")
    assert.strictEqual(living.name, "Living room")
    // The upper-case duplicate was merged into the first entry by the normal rules: its older date
    // does not win, its present local address does, its empty name does not.
    assert.deepStrictEqual(living.addresses, {
      local: "http://192.168.1.21:8096",
      remote: "https://media.example.org"
    })
    assert.strictEqual(DateTime.toEpochMillis(living.lastAccessed!), 1_700_000_000_000)
    assert.strictEqual(living.lastConnectionMode, "Remote")
    assert.strictEqual(living.connect?.serverId, "connect-server-9")
    assert.strictEqual(reveal(living.connect?.accessKey), "canary-access-key-55d1")
    assert.strictEqual(living.lastUserId, "user-alice")
    assert.strictEqual(reveal(living.users["user-alice"]?.accessToken), "canary-alice-token-19c2")

    const office = server(c, "0f0e0d0c0b0a09080706050403020100")
    assert.strictEqual(office.lastConnectionMode, "Manual")
    assert.deepStrictEqual(office.addresses, { manual: "http://office.lan:8096" })
    assert.isUndefined(office.connect)
    assert.deepStrictEqual(Object.keys(office.users).sort(), ["user-bob", "user-carol"])
    assert.strictEqual(reveal(office.users["user-bob"]?.accessToken), "canary-bob-token-aa01")
    assert.isUndefined(office.users["user-carol"]?.accessToken)
  })

  it.effect("secrets stay Redacted: JSON.stringify, String and inspect never show a token", () =>
    Effect.gen(function*() {
      const text = readFileSync(new URL("./fixtures/servercredentials3.json", import.meta.url), "utf8")
      const store = yield* CredentialStore.makeKeyValueStore()
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("mbauth/credentials", text)
      const state = yield* store.get
      const servers = yield* store.listServers
      const renderings = [
        JSON.stringify(state),
        JSON.stringify(servers),
        String(state),
        `${servers[0]!.users["user-alice"]!.accessToken}`,
        inspect(state, { depth: Infinity }),
        inspect(servers, { depth: Infinity }),
        inspect(Effect.succeed(state), { depth: Infinity })
      ]
      for (const rendering of renderings) expect(rendering).not.toMatch(/canary/)
      // …while the stored encoding does hold them (it is the one place they may be).
      yield* store.upsertServer({ id: "x" })
      expect(Option.getOrThrow(yield* kv.get("mbauth/credentials"))).toMatch(/canary-alice-token-19c2/)
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))
})

describe("CredentialStore.layerKeyValueStore", () => {
  it.effect("keeps the document under its key and reports a corrupt value by key", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      const store = yield* CredentialStore.CredentialStore
      assert.strictEqual(store.location, "KeyValueStore:app/creds")
      yield* store.setUser("s1", { id: "u", accessToken: secret("tok") })
      const stored = JSON.parse(Option.getOrThrow(yield* kv.get("app/creds")))
      assert.strictEqual(stored.version, CredentialStore.currentVersion)
      assert.strictEqual(stored.servers.s1.users.u.accessToken, "tok")

      yield* kv.set("app/creds", "{\"version\":2,\"servers\":{\"s1\":{\"users\":{\"u\":{\"accessToken\":[\"canary\"]}}}}}")
      const error = yield* Effect.flip(store.get)
      assert.strictEqual(error._tag, "CorruptCredentialFile")
      assert.strictEqual((error as CredentialStore.CorruptCredentialFile).path, "KeyValueStore:app/creds")
      expect(error.message).toMatch(/servers\.s1\.users\.u\.accessToken/)
      expect(error.message).not.toMatch(/canary/)
      const again = yield* Effect.flip(store.setUser("s2", { id: "v" }))
      assert.strictEqual(again._tag, "CorruptCredentialFile")
    }).pipe(
      Effect.provide(CredentialStore.layerKeyValueStore({ key: "app/creds" })),
      Effect.provide(KeyValueStore.layerMemory)
    ))
  it.effect("refuses a \"__proto__\" server or user id with a typed error and keeps what was saved", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      const store = yield* CredentialStore.CredentialStore
      yield* store.setUser("s1", { id: "u", accessToken: secret("tok") })
      const before = yield* kv.get("app/creds")
      for (const attempt of [store.upsertServer({ id: "__proto__" }), store.setUser("s1", { id: "__proto__" })]) {
        const error = yield* Effect.flip(attempt)
        assert.strictEqual(error._tag, "CredentialFileUnwritable")
        expect(error.message).toMatch(/__proto__/)
      }
      assert.deepStrictEqual(yield* kv.get("app/creds"), before)
      // A hand-edited document with such a key is reported, not read with the record silently dropped.
      yield* kv.set("app/creds", "{\"version\":2,\"servers\":{\"__proto__\":{\"users\":{}}}}")
      assert.strictEqual((yield* Effect.flip(store.get))._tag, "CorruptCredentialFile")
    }).pipe(
      Effect.provide(CredentialStore.layerKeyValueStore({ key: "app/creds" })),
      Effect.provide(KeyValueStore.layerMemory)
    ))
})

describe("CredentialStore.defaultPath", () => {
  const pathWith = (env: Record<string, string>) =>
    CredentialStore.defaultPath.pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(NodePath.layerPosix)
    )

  it.effect("prefers MBAUTH_CONFIG_DIR, then an absolute XDG_CONFIG_HOME, then ~/.config", () =>
    Effect.gen(function*() {
      assert.strictEqual(
        yield* pathWith({ MBAUTH_CONFIG_DIR: "/etc/mb", XDG_CONFIG_HOME: "/x", HOME: "/home/a" }),
        "/etc/mb/credentials.json"
      )
      assert.strictEqual(
        yield* pathWith({ MBAUTH_CONFIG_DIR: "", XDG_CONFIG_HOME: "/x", HOME: "/home/a" }),
        "/x/mbauth/credentials.json"
      )
      assert.strictEqual(
        yield* pathWith({ XDG_CONFIG_HOME: "relative/dir", HOME: "/home/a" }),
        "/home/a/.config/mbauth/credentials.json"
      )
      const error = yield* Effect.flip(pathWith({}))
      expect(String(error)).toMatch(/MBAUTH_CONFIG_DIR/)
    }))
})

describe("CredentialStore errors", () => {
  it("name the file and say what to do", () => {
    const lock = new CredentialStore.LockTimeout({ path: "/c/credentials.json", lockPath: "/c/credentials.json.lock", waitedMillis: 10, holderPid: 42 })
    expect(lock.message).toMatch(/process 42.*credentials\.json\.lock/)
    const version = new CredentialStore.UnsupportedSchemaVersion({ path: "/c/credentials.json", version: 9, supportedVersion: 2 })
    expect(version.message).toMatch(/\/c\/credentials\.json.*version 9.*Upgrade mbauth/)
  })
})
