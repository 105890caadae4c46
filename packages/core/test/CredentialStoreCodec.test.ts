/**
 * The credential file's codec: the version 2 Schema (CredentialStore.CredentialFile) read and
 * written through document.ts, and the store's memo of the last text it decoded.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { makeCodec } from "../src/internal/credentialStore/backend.js"
import { decode, encode } from "../src/internal/credentialStore/document.js"

type Json = { [key: string]: unknown }

// A form that deep equality can compare: secrets and dates by value.
const comparable = (u: unknown): unknown => {
  if (Redacted.isRedacted(u)) return { redacted: Redacted.value(u) }
  if (DateTime.isDateTime(u)) return { dateTime: DateTime.toEpochMillis(u), utc: DateTime.isUtc(u) }
  if (Array.isArray(u)) return u.map(comparable)
  if (typeof u === "object" && u !== null) {
    return Object.fromEntries(Object.entries(u).map(([key, value]) => [key, comparable(value)]))
  }
  return u
}

const states = Arbitrary.make(CredentialStore.Credentials)

describe("the version 2 document", () => {
  it.prop("reads back every text it writes as a state that writes the same text", { credentials: states }, ({ credentials }) => {
    const text = Either.getOrThrow(encode(credentials))
    const decoded = Either.getOrThrow(decode("test", text))
    assert.strictEqual(Either.getOrThrow(encode(decoded)), text)
    // Records are keyed by id in the file: what is read back carries each key as its id.
    assert.deepStrictEqual(Object.keys(decoded.servers), Object.keys(credentials.servers))
    for (const [key, server] of Object.entries(decoded.servers)) {
      assert.strictEqual(server.id, key)
      assert.deepStrictEqual(Object.keys(server.users), Object.keys(credentials.servers[key]!.users))
      assert.strictEqual(server.name, credentials.servers[key]!.name)
    }
  }, { fastCheck: { numRuns: 200 } })

  it("encodes through the Schema, refusing a state outside it with a detail", () => {
    const user = { id: "u", accessToken: Redacted.make("t") }
    const valid: CredentialStore.Credentials = { servers: { s: { id: "s", addresses: {}, users: { u: user } } } }
    // An object whose prototype carries a field: the Schema reads own fields only.
    const inherited = Object.assign(Object.create({ name: "inherited" }), { id: "s", addresses: {}, users: {} })
    const withPrototype = { servers: { s: inherited } } as CredentialStore.Credentials
    assert.isTrue(Either.isRight(encode(valid)))
    const text = Either.getOrThrow(encode(withPrototype))
    assert.notInclude(text, "inherited")
    // A zoned date, a plain-string token, a "__proto__" user id: refused with a detail.
    const zoned = DateTime.unsafeMakeZoned(0, { timeZone: "Europe/Paris" })
    for (
      const [state, detail] of [
        [{ servers: { s: { ...valid.servers.s!, lastAccessed: zoned } } }, /servers\.s\.lastAccessed/],
        [{ servers: { s: { ...valid.servers.s!, users: { u: { id: "u", accessToken: "t" } } } } }, /accessToken/],
        [{ servers: { s: { ...valid.servers.s!, users: { x: { id: "__proto__" } } } } }, /__proto__/]
      ] as const
    ) {
      const result = encode(state as unknown as CredentialStore.Credentials)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) expect(result.left).toMatch(detail)
    }
  })

  it("reads absent servers, addresses and users as empty, and writes them out", () => {
    const bare = Either.getOrThrow(decode("test", JSON.stringify({ version: 2 })))
    assert.deepStrictEqual(bare, { servers: {} })
    const decoded = Either.getOrThrow(decode("test", JSON.stringify({ version: 2, servers: { s: { name: "S" } } })))
    assert.deepStrictEqual(decoded, { servers: { s: { id: "s", name: "S", addresses: {}, users: {} } } })
    assert.deepStrictEqual(JSON.parse(Either.getOrThrow(encode(decoded))), {
      version: 2,
      servers: { s: { name: "S", addresses: {}, users: {} } }
    })
  })

  it("describes a document outside the Schema by path, without quoting values", () => {
    const cases: ReadonlyArray<readonly [Json, string]> = [
      [{ version: 2, servers: { s: { product: "emby-canary" } } }, "servers.s.product: wrong type or value"],
      [{ version: 2, servers: { s: { lastAccessed: "2025-13-01T00:00:00Z" } } }, "servers.s.lastAccessed: invalid value; servers.s.lastAccessed: wrong type or value"],
      [{ version: 2, servers: { s: { users: { u: { accessToken: 7 } } } } }, "servers.s.users.u.accessToken: wrong type or value"],
      [{ version: 2, connect: { userId: "canary" } }, "connect.accessToken: missing"],
      [{ version: 2, servers: [] }, "servers: wrong type or value"],
      [{ version: 2, servers: { s: "canary" } }, "servers.s: wrong type or value"],
      [{ version: 2, servers: { s: { users: "canary" } } }, "servers.s.users: wrong type or value"],
      [{ version: 2, servers: { s: { users: { u: 7 } } } }, "servers.s.users.u: wrong type or value"],
      [{ version: 2, servers: { s: { addresses: { local: 7 } } } }, "servers.s.addresses.local: wrong type or value"],
      [{ version: 2, servers: { s: { lastAccessed: "2025-01-01" } } }, "servers.s.lastAccessed: invalid value"],
      [{ version: 2, connect: null }, "connect: wrong type or value"]
    ]
    for (const [document, detail] of cases) {
      const error = Either.flip(decode("test", JSON.stringify(document))).pipe(Either.getOrThrow)
      assert.strictEqual(error._tag, "CorruptCredentialFile")
      expect(error.message).toContain(`does not match schema version 2: ${detail}`)
      expect(error.message).not.toMatch(/canary/)
    }
  })
})

const servers = Arbitrary.make(CredentialStore.Server)

describe("the store's codec", () => {
  it.prop(
    "gives what a fresh decode of the stored text gives, and writes what a fresh encode writes",
    { initial: states, changes: fc.array(fc.option(servers), { maxLength: 8 }) },
    ({ changes, initial }) => {
      const codec = makeCodec("test")
      let stored = Either.getOrThrow(encode(initial))
      for (const server of changes) {
        const current = Either.getOrThrow(codec.decode(Option.some(stored)))
        const next = server === null
          ? current
          : CredentialStore.mergeServer(current, { ...server, users: Object.values(server.users) })
        const written = Either.getOrThrow(codec.encode(next))
        assert.strictEqual(written, Either.getOrThrow(encode(next)))
        stored = written
        const decoded = Either.getOrThrow(codec.decode(Option.some(stored)))
        assert.deepStrictEqual(comparable(decoded), comparable(Either.getOrThrow(decode("test", stored))))
      }
    },
    { fastCheck: { numRuns: 60 } }
  )

  it("reuses the state of an unchanged text and decodes a changed one afresh", () => {
    const codec = makeCodec("test")
    const initial = CredentialStore.mergeServer(CredentialStore.empty, { id: "a", name: "A" })
    const text = Either.getOrThrow(encode(initial))
    const first = Either.getOrThrow(codec.decode(Option.some(text)))
    // The same text read again (another read of the file) gives the same state.
    assert.strictEqual(Either.getOrThrow(codec.decode(Option.some(text.slice(0, 10) + text.slice(10)))), first)
    const edited = text.replace("\"A\"", "\"A2\"")
    assert.strictEqual(Either.getOrThrow(codec.decode(Option.some(edited))).servers.a?.name, "A2")
    assert.deepStrictEqual(Either.getOrThrow(codec.decode(Option.none())), CredentialStore.empty)
  })
})
