/**
 * The hand-written codec of the version 2 document (internal/credentialStore/fastV2Codec.ts)
 * against the Schema that defines the format: on generated valid states and documents, and on
 * mutations of them, the fast path must never accept what the Schema rejects nor give another
 * value or text, and should take everything the Schema takes.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { makeCodec } from "../src/internal/credentialStore/backend.js"
import { decode, encode } from "../src/internal/credentialStore/document.js"
import { decodeDocument, encodeDocument } from "../src/internal/credentialStore/fastV2Codec.js"

type Json = { [key: string]: unknown }

const schemaDecode = Schema.decodeUnknownEither(CredentialStore.CredentialFile)
const schemaEncode = Schema.encodeEither(CredentialStore.CredentialFile)
const toText = (document: unknown) => JSON.stringify(document, null, 2) + "\n"

const isRecord = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

// A form that deep equality can compare: secrets and dates by value, objects as their entries in
// order (the fast path builds fields in the Schema's order), prototypes named.
const comparable = (u: unknown): unknown => {
  if (Redacted.isRedacted(u)) return { redacted: Redacted.value(u) }
  if (DateTime.isDateTime(u)) return { dateTime: DateTime.toEpochMillis(u), utc: DateTime.isUtc(u) }
  if (Array.isArray(u)) return u.map(comparable)
  if (typeof u === "object" && u !== null) {
    return {
      plain: Object.getPrototypeOf(u) === Object.prototype,
      entries: Object.entries(u).map(([key, value]) => [key, comparable(value)])
    }
  }
  return u
}

const states = Arbitrary.make(CredentialStore.Credentials)

// A valid document as the file holds it: a generated state through the Schema's encoding.
const documents = states.map((credentials) => JSON.parse(toText(Either.getOrThrow(schemaEncode(credentials)))) as Json)

// -----------------------------------------------------------------------------
// Mutations
// -----------------------------------------------------------------------------

const fieldNames = [
  "version",
  "connect",
  "servers",
  "userId",
  "accessToken",
  "name",
  "product",
  "addresses",
  "local",
  "remote",
  "manual",
  "lastConnectionMode",
  "lastAccessed",
  "serverId",
  "accessKey",
  "lastUserId",
  "users",
  "id",
  "__proto__",
  "constructor",
  "toString"
]

// Values next to the valid ones: near-miss literals and dates, and every JSON type.
const interestingValues = [
  "Emby",
  "Jellyfin",
  "emby",
  "Jellyfin ",
  "Local",
  "Remote",
  "Manual",
  "manual",
  "2025-01-01T00:00:00Z",
  "2025-01-01T00:00:00.123456789Z",
  "2025-01-01T00:00:00.1234567891Z",
  "+275760-09-13T00:00:00.000Z",
  "+275760-09-13T00:00:00.001Z",
  "-000001-01-01T00:00:00.000Z",
  "2025-13-01T00:00:00Z",
  "2025-02-30T00:00:00.000Z",
  "2025-01-01T24:00:00Z",
  "2025-01-01 00:00:00Z",
  "2025-01-01T00:00:00+01:00",
  "",
  2,
  3,
  0,
  null,
  true,
  [],
  ["x"],
  [{}],
  {},
  { name: 1 },
  { userId: "u", accessToken: "t" }
]

// ISO dates with one character replaced: what the file's pattern and `new Date` disagree on.
const dateLike = fc.tuple(
  fc.date({ noInvalidDate: true }),
  fc.nat(),
  fc.constantFrom(..."0123456789+-:.TZz ")
).map(([date, at, char]) => {
  const iso = date.toISOString()
  const i = at % (iso.length + 1)
  return iso.slice(0, i) + char + iso.slice(i + 1)
})

// The literals with their case changed, a character dropped or a space added, at every position.
const literals = ["Jellyfin", "Emby", "Local", "Remote", "Manual"]
const nearMisses = literals.flatMap((literal) =>
  Array.from({ length: literal.length + 1 }, (_, i) => [
    literal.slice(0, i) + literal.slice(i).toLowerCase(),
    literal.slice(0, i) + literal.slice(i).toUpperCase(),
    literal.slice(0, i) + literal.slice(i + 1),
    literal.slice(0, i) + " " + literal.slice(i)
  ]).flat()
)

const values = fc.oneof(
  { arbitrary: fc.constantFrom(...interestingValues), weight: 3 },
  { arbitrary: dateLike, weight: 1 },
  { arbitrary: fc.constantFrom(...nearMisses), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 }
)

type Mutation =
  | {
    readonly _tag: "Set"
    readonly at: number
    // A number picks one of the target's own keys (a value replaced), a string names the key.
    readonly key: number | string
    readonly value: unknown
  }
  | { readonly _tag: "Delete"; readonly at: number; readonly index: number }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({
      _tag: fc.constant("Set" as const),
      at: fc.nat(),
      key: fc.oneof(
        { arbitrary: fc.nat(), weight: 3 },
        { arbitrary: fc.constantFrom(...fieldNames), weight: 2 },
        { arbitrary: fc.string({ maxLength: 4 }), weight: 1 }
      ),
      value: values
    }),
    weight: 3
  },
  { arbitrary: fc.record({ _tag: fc.constant("Delete" as const), at: fc.nat(), index: fc.nat() }), weight: 1 }
)

const applyMutation = (objects: ReadonlyArray<Json>, m: Mutation): void => {
  const target = objects[m.at % objects.length]!
  const keys = Object.keys(target)
  if (m._tag === "Set") {
    const key = typeof m.key === "string" ? m.key : keys.length > 0 ? keys[m.key % keys.length]! : "name"
    // defineProperty, as JSON.parse does: "__proto__" becomes an own key, not the prototype.
    Object.defineProperty(target, key, { value: m.value, enumerable: true, writable: true, configurable: true })
  } else if (keys.length > 0) {
    delete target[keys[m.index % keys.length]!]
  }
}

const objectsIn = (u: unknown): Array<Json> =>
  isRecord(u) ? [u, ...Object.values(u).flatMap(objectsIn)] : Array.isArray(u) ? u.flatMap(objectsIn) : []

const mutate = (document: Json, mutations: ReadonlyArray<Mutation>): Json => {
  const copy = JSON.parse(JSON.stringify(document)) as Json
  for (const m of mutations) applyMutation(objectsIn(copy), m)
  return copy
}

// Schema.Record skips a "__proto__" key where the fast path refuses to answer; document.decode
// rejects such a document before either runs.
const hasProtoRecordKey = (document: Json): boolean => {
  const records: Array<unknown> = [document.servers]
  if (isRecord(document.servers)) {
    for (const server of Object.values(document.servers)) if (isRecord(server)) records.push(server.users)
  }
  return records.some((record) => isRecord(record) && Object.hasOwn(record, "__proto__"))
}

const assertDecodesAlike = (document: Json) => {
  const fast = decodeDocument(document)
  if (hasProtoRecordKey(document)) {
    assert.isUndefined(fast)
    const decoded = decode("test", JSON.stringify(document))
    assert.isTrue(Either.isLeft(decoded) && decoded.left._tag === "CorruptCredentialFile")
    return
  }
  const slow = schemaDecode(document)
  if (Either.isLeft(slow)) {
    assert.isUndefined(fast, "the fast path accepted a document the Schema rejects")
  } else {
    assert.isDefined(fast, "the fast path left a valid document to the Schema")
    assert.deepStrictEqual(comparable(fast), comparable(slow.right))
  }
}

// -----------------------------------------------------------------------------
// Tests
// -----------------------------------------------------------------------------

describe("the hand-written version 2 codec", () => {
  it.prop("decodes every valid document as the Schema does", { document: documents }, ({ document }) => {
    assert.isDefined(decodeDocument(document))
    assertDecodesAlike(document)
  }, { fastCheck: { numRuns: 50 } })

  it.prop(
    "agrees with the Schema on mutated documents (wrong types, missing and extra fields, odd ids)",
    { document: documents, mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
    ({ document, mutations }) => assertDecodesAlike(mutate(document, mutations)),
    { fastCheck: { numRuns: 200 } }
  )

  it.prop(
    "agrees with the Schema on date-like strings",
    { value: fc.oneof(dateLike, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())) },
    ({ value }) => assertDecodesAlike({ version: 2, servers: { s: { lastAccessed: value } } }),
    { fastCheck: { numRuns: 300 } }
  )

  it("agrees with the Schema on every near miss of a literal, decoding and encoding", () => {
    const user = { id: "u", accessToken: Redacted.make("t") }
    for (const field of ["product", "lastConnectionMode"]) {
      for (const value of [...literals, ...nearMisses]) {
        assertDecodesAlike({ version: 2, servers: { s: { [field]: value } } })
        const state = { servers: { s: { id: "s", addresses: {}, users: { u: user }, [field]: value } } }
        const slow = schemaEncode(state as unknown as CredentialStore.Credentials)
        const fast = encodeDocument(state as unknown as CredentialStore.Credentials)
        if (Either.isLeft(slow)) assert.isUndefined(fast, value)
        else assert.strictEqual(toText(fast), toText(slow.right))
      }
    }
  })

  it.prop("encodes every valid state to the Schema's text", { credentials: states }, ({ credentials }) => {
    const fast = encodeDocument(credentials)
    assert.isDefined(fast)
    assert.strictEqual(toText(fast), toText(Either.getOrThrow(schemaEncode(credentials))))
  }, { fastCheck: { numRuns: 50 } })

  it.prop(
    "agrees with the Schema on states outside it",
    { credentials: states, mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
    ({ credentials, mutations }) => {
      // The same mutations, applied to the in-memory state.
      const mutated = mutateState(cloneState(credentials), mutations) as CredentialStore.Credentials
      const fast = encodeDocument(mutated)
      if (hasProtoRecordKey(mutated as unknown as Json)) {
        // The Schema would drop that record without a word; encode refuses the state instead.
        assert.isUndefined(fast)
        assert.isTrue(Either.isLeft(encode(mutated)))
        return
      }
      const slow = schemaEncode(mutated)
      if (Either.isLeft(slow)) {
        assert.isUndefined(fast, "the fast path encoded a state the Schema rejects")
      } else {
        assert.isDefined(fast, "the fast path left a valid state to the Schema")
        assert.strictEqual(toText(fast), toText(slow.right))
      }
    },
    { fastCheck: { numRuns: 200 } }
  )

  it("leaves values it does not fully understand to the Schema, which judges them as before", () => {
    const user = { id: "u", accessToken: Redacted.make("t") }
    const valid: CredentialStore.Credentials = { servers: { s: { id: "s", addresses: {}, users: { u: user } } } }
    assert.isDefined(encodeDocument(valid))
    // An object whose prototype carries a field: the Schema reads own fields only.
    const inherited = Object.assign(Object.create({ name: "inherited" }), { id: "s", addresses: {}, users: {} })
    const withPrototype = { servers: { s: inherited } } as CredentialStore.Credentials
    assert.isUndefined(encodeDocument(withPrototype))
    const text = Either.getOrThrow(encode(withPrototype)).text
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
      assert.isUndefined(encodeDocument(state as unknown as CredentialStore.Credentials))
      const result = encode(state as unknown as CredentialStore.Credentials)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) expect(result.left).toMatch(detail)
    }
  })

  it("describes a document it declines exactly as the Schema does, without quoting values", () => {
    const cases: ReadonlyArray<readonly [Json, string]> = [
      [{ version: 2, servers: { s: { product: "emby-canary" } } }, "servers.s.product: wrong type or value"],
      [{ version: 2, servers: { s: { lastAccessed: "2025-13-01T00:00:00Z" } } }, "servers.s.lastAccessed: invalid value; servers.s.lastAccessed: wrong type or value"],
      [{ version: 2, servers: { s: { users: { u: { accessToken: 7 } } } } }, "servers.s.users.u.accessToken: wrong type or value"],
      [{ version: 2, connect: { userId: "canary" } }, "connect.accessToken: missing"],
      [{ version: 2, servers: [] }, "servers: wrong type or value"]
    ]
    for (const [document, detail] of cases) {
      assert.isUndefined(decodeDocument(document))
      const error = Either.flip(decode("test", JSON.stringify(document))).pipe(Either.getOrThrow)
      assert.strictEqual(error._tag, "CorruptCredentialFile")
      expect(error.message).toContain(`does not match schema version 2: ${detail}`)
      expect(error.message).not.toMatch(/canary/)
    }
  })
})

// A deep copy sharing the secrets and dates (their state lives outside the object).
const cloneState = (u: unknown): unknown => {
  if (Redacted.isRedacted(u) || DateTime.isDateTime(u)) return u
  if (Array.isArray(u)) return u.map(cloneState)
  if (isRecord(u)) return Object.fromEntries(Object.entries(u).map(([key, value]) => [key, cloneState(value)]))
  return u
}

const mutateState = (state: unknown, mutations: ReadonlyArray<Mutation>): unknown => {
  const objects = (u: unknown): Array<Json> =>
    isRecord(u) && !Redacted.isRedacted(u) && !DateTime.isDateTime(u) ? [u, ...Object.values(u).flatMap(objects)] : []
  for (const m of mutations) applyMutation(objects(state), m)
  return state
}

// -----------------------------------------------------------------------------
// The store's codec: skipped decodes and reused servers
// -----------------------------------------------------------------------------

type Step =
  | { readonly _tag: "Upsert"; readonly server: CredentialStore.Server; readonly at: number }
  | { readonly _tag: "Remove"; readonly at: number }
  | { readonly _tag: "Alias"; readonly from: number; readonly to: string }
  | { readonly _tag: "Copy"; readonly at: number }
  | { readonly _tag: "ClearConnect" }
  | { readonly _tag: "Unchanged" }
  | { readonly _tag: "Elsewhere"; readonly credentials: CredentialStore.Credentials }

const servers = Arbitrary.make(CredentialStore.Server)
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ _tag: fc.constant("Upsert" as const), server: servers, at: fc.nat() }), weight: 4 },
  fc.record({ _tag: fc.constant("Remove" as const), at: fc.nat() }),
  fc.record({ _tag: fc.constant("Alias" as const), from: fc.nat(), to: fc.string({ minLength: 1, maxLength: 3 }) }),
  fc.record({ _tag: fc.constant("Copy" as const), at: fc.nat() }),
  fc.record({ _tag: fc.constant("ClearConnect" as const) }),
  fc.record({ _tag: fc.constant("Unchanged" as const) }),
  fc.record({ _tag: fc.constant("Elsewhere" as const), credentials: states })
)

const keyAt = (c: CredentialStore.Credentials, at: number): string | undefined => {
  const keys = Object.keys(c.servers)
  return keys.length === 0 ? undefined : keys[at % keys.length]
}

// What an update does to the state it is given: the merge rules, and what a caller's own `update`
// may do (one server object under two keys, a copy with an extra field).
const apply = (c: CredentialStore.Credentials, s: Exclude<Step, { _tag: "Elsewhere" }>): CredentialStore.Credentials => {
  switch (s._tag) {
    case "Upsert": {
      const id = keyAt(c, s.at) ?? s.server.id
      return CredentialStore.mergeServer(c, { ...s.server, id, users: Object.values(s.server.users) })
    }
    case "Remove": {
      const key = keyAt(c, s.at)
      if (key === undefined) return c
      const { [key]: _removed, ...rest } = c.servers
      return { ...c, servers: rest }
    }
    case "Alias": {
      const key = keyAt(c, s.from)
      return key === undefined || s.to === "__proto__" ? c : { ...c, servers: { ...c.servers, [s.to]: c.servers[key]! } }
    }
    case "Copy": {
      const key = keyAt(c, s.at)
      if (key === undefined) return c
      const copy: CredentialStore.Server = Object.assign({}, c.servers[key]!, { extra: 1 })
      return { ...c, servers: { ...c.servers, [key]: copy } }
    }
    case "ClearConnect":
      return { servers: c.servers }
    case "Unchanged":
      return c
  }
}

describe("the store's codec", () => {
  it.prop(
    "gives what a fresh decode of the stored text gives, and writes what a fresh encode writes",
    { initial: states, steps: fc.array(step, { maxLength: 8 }) },
    ({ initial, steps }) => {
      const codec = makeCodec("test")
      let stored = Either.getOrThrow(encode(initial)).text
      for (const s of steps) {
        if (s._tag === "Elsewhere") {
          // Another process (or a hand edit) replaced the file.
          stored = Either.getOrThrow(encode(s.credentials)).text
        } else {
          const current = Either.getOrThrow(codec.decode(Option.some(stored)))
          const next = apply(current, s)
          const written = Either.getOrThrow(codec.encode(next))
          assert.strictEqual(written.text, Either.getOrThrow(encode(next)).text)
          if (written.text !== stored) {
            stored = written.text
            codec.stored(written)
          }
        }
        const decoded = Either.getOrThrow(codec.decode(Option.some(stored)))
        assert.deepStrictEqual(comparable(decoded), comparable(Either.getOrThrow(decode("test", stored))))
      }
    },
    { fastCheck: { numRuns: 60 } }
  )

  it("skips the decode of an unchanged text and reuses the servers a write left alone", () => {
    const codec = makeCodec("test")
    const initial = CredentialStore.mergeServer(
      CredentialStore.mergeServer(CredentialStore.empty, { id: "a", name: "A" }),
      { id: "b", name: "B", users: [{ id: "u", accessToken: Redacted.make("t") }] }
    )
    const text = Either.getOrThrow(encode(initial)).text
    const first = Either.getOrThrow(codec.decode(Option.some(text)))
    assert.strictEqual(Either.getOrThrow(codec.decode(Option.some(text))), first)
    // The same text read again by another path (another read of the file) is still recognised.
    assert.strictEqual(Either.getOrThrow(codec.decode(Option.some(text.slice(0, 10) + text.slice(10)))), first)

    const next = CredentialStore.mergeServer(first, { id: "a", name: "A2" })
    const written = Either.getOrThrow(codec.encode(next))
    codec.stored(written)
    const second = Either.getOrThrow(codec.decode(Option.some(written.text)))
    assert.notStrictEqual(second.servers.a, next.servers.a)
    assert.strictEqual(second.servers.a?.name, "A2")
    // "b" was not touched by the first write's encode (nothing to reuse yet), but from now on is.
    const third = CredentialStore.mergeServer(second, { id: "a", name: "A3" })
    const rewritten = Either.getOrThrow(codec.encode(third))
    assert.strictEqual(rewritten.document?.servers.b, written.document?.servers.b)
    codec.stored(rewritten)
    assert.strictEqual(Either.getOrThrow(codec.decode(Option.some(rewritten.text))).servers.b, second.servers.b)

    // A text changed by someone else is decoded afresh.
    const edited = rewritten.text.replace("\"A3\"", "\"A4\"")
    assert.strictEqual(Either.getOrThrow(codec.decode(Option.some(edited))).servers.a?.name, "A4")
  })
})
