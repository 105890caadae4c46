/**
 * A hand-written decoder and encoder for the version 2 document: the fast path of
 * `CredentialFileV2`.
 *
 * Effect Schema's interpreter spends 50–60 ms decoding and 45–55 ms encoding a store of 1,000
 * servers, ten times `JSON.parse` / `JSON.stringify` of the same text (BENCHMARKS.md, row 8).
 * These functions do the same with plain type checks, building `Redacted` and `DateTime.Utc`
 * directly.
 *
 * `CredentialFileV2` (schema.ts) stays the definition of the format. Each function here answers
 * only for values it fully understands and returns `undefined` for anything else; the caller then
 * runs the Schema, which describes the problem exactly as before (or, should it accept what this
 * path declined, decides). So declining is always safe, and the one thing this module must never
 * do is accept something the Schema rejects or produce a different value:
 * test/CredentialStoreCodec.test.ts checks both against the Schema on generated valid documents
 * and on mutations of them.
 *
 * A store usually rewrites one server of many, so both functions also take the last document
 * `encodeDocument` built with its decoded state (`Written`) and reuse, by identity, every server
 * that has not changed since.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import type * as Types from "effect/Types"
import { type Credentials, currentVersion, isoUtc, type Server, type ServerUser } from "./schema.js"

type Json = { readonly [key: string]: unknown }

// What Schema.Struct and Schema.Record take: any non-null object but an array.
const isRecord: (u: unknown) => u is Json = Predicate.isRecord

const isOptionalString = (u: unknown): u is string | undefined => u === undefined || typeof u === "string"

// Reading `o.name` is what the Schema does for a required field, but for an optional one it first
// asks `hasOwnProperty`: the two agree when no field can be inherited. JSON.parse builds plain
// objects, and none of our field names is a property of Object.prototype; in-memory values built
// some other way (a class, a prototype carrying fields) are left to the Schema.
const isPlain = (u: unknown): u is Json => {
  if (!isRecord(u)) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const isOptionalProduct = (u: unknown): u is Server["product"] => u === undefined || u === "Jellyfin" || u === "Emby"

const isOptionalMode = (u: unknown): u is Server["lastConnectionMode"] =>
  u === undefined || u === "Local" || u === "Remote" || u === "Manual"

// Schema.Record skips a key its key schema rejects, and `out[key] = …` with "__proto__" would set
// the prototype: both would lose a record without a word, so such a key is the Schema's to judge.
const unkeyable = "__proto__"

// A record with every value mapped by `f`, or `undefined` when `f` declines one. `context` is
// passed through, so that callers need no closure per record.
const mapRecord = <A, C>(
  record: Json,
  f: (key: string, value: unknown, context: C) => A | undefined,
  context: C
): Record<string, A> | undefined => {
  const out: Record<string, A> = {}
  for (const key of Object.keys(record)) {
    if (key === unkeyable) return undefined
    const value = f(key, record[key], context)
    if (value === undefined) return undefined
    out[key] = value
  }
  return out
}

/**
 * The document `encodeDocument` builds (fields left `undefined` are absent from its JSON).
 *
 * @internal
 */
export type Document = {
  readonly version: typeof currentVersion
  readonly connect: Json | undefined
  readonly servers: { readonly [id: string]: Json }
}

/**
 * A document `encodeDocument` built (or a parsed one `decodeParsed` found to be exactly such a
 * document) and what `decodeDocument` gives for it. For every key, `credentials.servers[key]` is
 * the decoding of `document.servers[key]`, and that entry is the encoding of that server (its
 * `JSON.stringify` is the text the encoder writes for it); the reuse below rests on it, and holds
 * because only these functions build a `Written`, and neither documents nor states are ever
 * mutated.
 *
 * @internal
 */
export interface Written {
  readonly document: Document
  readonly credentials: Credentials
}

// -----------------------------------------------------------------------------
// Decoding: parsed JSON → Credentials
// -----------------------------------------------------------------------------

// While decoding parsed JSON, whether it is still exactly what `encodeDocument` builds for the
// result, as `JSON.stringify` sees it: the same fields in the same order, nothing else, every date
// as `formatIso` writes it. Such a document can stand for the encoding (see `decodeParsed`). A
// `Document` (already an encoding) is decoded without it.
interface Canonical {
  ok: boolean
}

// Whether the own keys of `json` are some of `order`, in that order. For-in sees inherited keys
// too, but parsed JSON objects inherit none (a "__proto__" key is an own key, declined anyway).
const keysIn = (json: Json, order: ReadonlyArray<string>): boolean => {
  let i = 0
  for (const key in json) {
    while (i < order.length && order[i] !== key) i++
    if (i === order.length) return false
    i++
  }
  return true
}

// The fields in the order `encodeServer` and the others write them (the file structs' order).
const documentFields = ["version", "connect", "servers"]
const connectIdentityFields = ["userId", "accessToken"]
const serverFields = [
  "name",
  "product",
  "version",
  "addresses",
  "lastConnectionMode",
  "lastAccessed",
  "connect",
  "lastUserId",
  "users"
]
const addressFields = ["local", "remote", "manual"]
const connectLinkFields = ["serverId", "accessKey"]
const userFields = ["name", "accessToken"]

const decodeUser = (id: string, json: unknown, canonical: Canonical | undefined): ServerUser | undefined => {
  if (!isRecord(json)) return undefined
  const { accessToken, name } = json
  if (!isOptionalString(name) || !isOptionalString(accessToken)) return undefined
  if (canonical !== undefined && !keysIn(json, userFields)) canonical.ok = false
  const user: Types.Mutable<ServerUser> = { id }
  if (name !== undefined) user.name = name
  if (accessToken !== undefined) user.accessToken = Redacted.make(accessToken)
  return user
}

const decodeAddresses = (json: unknown): Server["addresses"] | undefined => {
  if (json === undefined) return {}
  if (!isRecord(json)) return undefined
  const { local, manual, remote } = json
  if (!isOptionalString(local) || !isOptionalString(remote) || !isOptionalString(manual)) return undefined
  const addresses: Types.Mutable<Server["addresses"]> = {}
  if (local !== undefined) addresses.local = local
  if (remote !== undefined) addresses.remote = remote
  if (manual !== undefined) addresses.manual = manual
  return addresses
}

const decodeConnectLink = (json: Json): NonNullable<Server["connect"]> | undefined => {
  const { accessKey, serverId } = json
  if (!isOptionalString(serverId) || !isOptionalString(accessKey)) return undefined
  const connect: Types.Mutable<NonNullable<Server["connect"]>> = {}
  if (serverId !== undefined) connect.serverId = serverId
  if (accessKey !== undefined) connect.accessKey = Redacted.make(accessKey)
  return connect
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

// The number in the decimal digits of s[from, to).
const digits = (s: string, from: number, to: number): number => {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48
  return n
}

// The time of `s` when it is exactly what `toISOString` (and so `formatIso`) writes for a date of
// the years 100 to 9999: `YYYY-MM-DDTHH:mm:ss.sssZ` with every field in range (nothing `Date`
// would normalise, like 30 February or hour 24); otherwise NaN. For such a string `Date.UTC` of
// its fields is the time `new Date(s)` parses (by the ECMAScript date format), without parsing it
// and without the `toISOString` a comparison would cost: together a fifth of the decode. `s`
// matches `isoUtc`, so these positions hold digits. (`Date.UTC` reads the years 0–99 as 1900–1999,
// hence the lower bound.) Any other string takes the general path below.
const canonicalTime = (s: string): number => {
  if (s.length !== 24 || s.charCodeAt(19) !== 46) return Number.NaN
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 7)
  const day = digits(s, 8, 10)
  const hour = digits(s, 11, 13)
  const minute = digits(s, 14, 16)
  const second = digits(s, 17, 19)
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > monthDays[month - 1]! + (leap ? 1 : 0)) return Number.NaN
  return Date.UTC(year, month - 1, day, hour, minute, second, digits(s, 20, 23))
}

// What Schema.DateTimeUtc does with the string, after the file's pattern: `DateTime.unsafeMake`,
// which for a string with a zone (the pattern requires "Z") makes `new Date(s)` a DateTime.
const decodeDate = (s: string, canonical: Canonical | undefined): DateTime.Utc | undefined => {
  if (!isoUtc.test(s)) return undefined
  const time = canonicalTime(s)
  if (!Number.isNaN(time)) return DateTime.unsafeMake(time)
  const date = new Date(s)
  try {
    const utc = DateTime.unsafeMake(date)
    if (canonical !== undefined && date.toISOString() !== s) canonical.ok = false
    return utc
  } catch {
    return undefined
  }
}

const decodeServer = (id: string, json: unknown, canonical: Canonical | undefined): Server | undefined => {
  if (!isRecord(json)) return undefined
  const { lastAccessed, lastConnectionMode, lastUserId, name, product, version } = json
  if (!isOptionalString(name) || !isOptionalString(version) || !isOptionalString(lastUserId)) return undefined
  if (!isOptionalProduct(product) || !isOptionalMode(lastConnectionMode)) return undefined
  const addresses = decodeAddresses(json.addresses)
  if (addresses === undefined) return undefined
  let date: DateTime.Utc | undefined
  if (lastAccessed !== undefined) {
    if (typeof lastAccessed !== "string") return undefined
    date = decodeDate(lastAccessed, canonical)
    if (date === undefined) return undefined
  }
  let connect: Server["connect"]
  if (json.connect !== undefined) {
    if (!isRecord(json.connect)) return undefined
    connect = decodeConnectLink(json.connect)
    if (connect === undefined) return undefined
  }
  if (json.users !== undefined && !isRecord(json.users)) return undefined
  const users = json.users === undefined ? {} : mapRecord(json.users, decodeUser, canonical)
  if (users === undefined) return undefined
  if (
    canonical !== undefined && canonical.ok &&
    !(keysIn(json, serverFields) && json.addresses !== undefined && json.users !== undefined &&
      keysIn(json.addresses as Json, addressFields) &&
      (json.connect === undefined || keysIn(json.connect as Json, connectLinkFields)))
  ) canonical.ok = false
  // The fields in the order the Schema's decode gives them (the Server struct's).
  const server: Partial<Types.Mutable<Server>> = { id }
  if (name !== undefined) server.name = name
  if (product !== undefined) server.product = product
  if (version !== undefined) server.version = version
  server.addresses = addresses
  if (lastConnectionMode !== undefined) server.lastConnectionMode = lastConnectionMode
  if (date !== undefined) server.lastAccessed = date
  if (connect !== undefined) server.connect = connect
  if (lastUserId !== undefined) server.lastUserId = lastUserId
  server.users = users
  return server as Server
}

const decodeWith = (document: Json, previous: Written | undefined, canonical: Canonical | undefined): Credentials | undefined => {
  if (document.version !== currentVersion) return undefined
  if (document.servers !== undefined && !isRecord(document.servers)) return undefined
  const servers = document.servers === undefined ? {} : mapRecord(document.servers, (id, json) =>
    previous !== undefined && isRecord(json) && Object.hasOwn(previous.document.servers, id) &&
      previous.document.servers[id] === json ?
      previous.credentials.servers[id] :
      decodeServer(id, json, canonical), undefined)
  if (servers === undefined) return undefined
  if (canonical !== undefined && !(document.servers !== undefined && keysIn(document, documentFields))) {
    canonical.ok = false
  }
  const connect = document.connect
  if (connect === undefined) return { servers }
  if (!isRecord(connect)) return undefined
  const { accessToken, userId } = connect
  if (typeof userId !== "string" || typeof accessToken !== "string") return undefined
  if (canonical !== undefined && !keysIn(connect, connectIdentityFields)) canonical.ok = false
  return { connect: { userId, accessToken: Redacted.make(accessToken) }, servers }
}

/**
 * Decodes a version 2 document (parsed JSON, or a `Document`), or `undefined` when the Schema has
 * to judge it. A server entry that is the very object of `previous`'s document decodes to
 * `previous`'s server.
 *
 * @internal
 */
export const decodeDocument = (document: Json, previous?: Written): Credentials | undefined =>
  decodeWith(document, previous, undefined)

/**
 * Decodes a version 2 document as `JSON.parse` gave it, like `decodeDocument`, and when the
 * document is exactly what `encodeDocument` builds for the result (the same fields in the same
 * order and nothing else, dates as `formatIso` writes them: a file this module wrote, or one
 * edited without breaking that), also returns it with the result as a `Written`. A store that
 * then saves a change encodes only what changed and reuses the rest of the parsed document (a
 * fresh store reads a file it did not write on every start).
 *
 * The document must not be mutated afterwards: a `Written` is immutable.
 *
 * @internal
 */
export const decodeParsed = (
  document: Json
): { readonly credentials: Credentials; readonly written: Written | undefined } | undefined => {
  const canonical: Canonical = { ok: true }
  const credentials = decodeWith(document, undefined, canonical)
  if (credentials === undefined) return undefined
  return { credentials, written: canonical.ok ? { document: document as Document, credentials } : undefined }
}

// -----------------------------------------------------------------------------
// Encoding: Credentials → the document, ready for JSON.stringify
// -----------------------------------------------------------------------------

// Fields are written in the order Schema's encode writes them (the file structs' order), always
// present with `undefined` for an absent one: JSON.stringify leaves those out, as it leaves out
// the `undefined` values the Schema passes through, and one shape per object keeps it fast.

const isId = (u: unknown): u is string => typeof u === "string" && u !== unkeyable

const isOptionalSecret = (u: unknown): u is Redacted.Redacted<string> | undefined =>
  u === undefined || isSecret(u)

// Redacted.value throws for a wiped secret, as it does inside the Schema's encode.
const isSecret = (u: unknown): u is Redacted.Redacted<string> =>
  Redacted.isRedacted(u) && typeof Redacted.value(u) === "string"

const reveal = (secret: Redacted.Redacted<string> | undefined): string | undefined =>
  secret === undefined ? undefined : Redacted.value(secret)

const encodeUser = (user: unknown): Json | undefined => {
  if (!isPlain(user)) return undefined
  const { accessToken, id, name } = user
  if (!isId(id) || !isOptionalString(name) || !isOptionalSecret(accessToken)) return undefined
  return { name, accessToken: reveal(accessToken) }
}

const encodeServer = (server: unknown): Json | undefined => {
  if (!isPlain(server)) return undefined
  const { addresses, connect, id, lastAccessed, lastConnectionMode, lastUserId, name, product, users, version } = server
  if (!isId(id) || !isOptionalString(name) || !isOptionalString(version) || !isOptionalString(lastUserId)) {
    return undefined
  }
  if (!isOptionalProduct(product) || !isOptionalMode(lastConnectionMode)) return undefined
  if (lastAccessed !== undefined && !(DateTime.isDateTime(lastAccessed) && DateTime.isUtc(lastAccessed))) {
    return undefined
  }
  if (!isPlain(addresses)) return undefined
  const { local, manual, remote } = addresses
  if (!isOptionalString(local) || !isOptionalString(remote) || !isOptionalString(manual)) return undefined
  let connectJson: Json | undefined
  if (connect !== undefined) {
    if (!isPlain(connect)) return undefined
    const { accessKey, serverId } = connect
    if (!isOptionalString(serverId) || !isOptionalSecret(accessKey)) return undefined
    connectJson = { serverId, accessKey: reveal(accessKey) }
  }
  if (!isRecord(users)) return undefined
  const usersJson = mapRecord(users, (_, user) => encodeUser(user), undefined)
  if (usersJson === undefined) return undefined
  return {
    name,
    product,
    version,
    addresses: { local, remote, manual },
    lastConnectionMode,
    lastAccessed: lastAccessed === undefined ? undefined : DateTime.formatIso(lastAccessed),
    connect: connectJson,
    lastUserId,
    users: usersJson
  }
}

/**
 * The version 2 document for `credentials` (records keyed by id, secrets in clear), or
 * `undefined` when the Schema has to judge it. `JSON.stringify` gives the same text as the
 * Schema's encoding. A server that is the very object of `previous`'s state, under the same key,
 * is encoded as `previous`'s document has it.
 *
 * @internal
 */
export const encodeDocument = (credentials: Credentials, previous?: Written): Document | undefined => {
  if (!isPlain(credentials)) return undefined
  const { connect, servers } = credentials
  let connectJson: Json | undefined
  if (connect !== undefined) {
    if (!isPlain(connect)) return undefined
    const { accessToken, userId } = connect
    if (typeof userId !== "string" || !isSecret(accessToken)) return undefined
    connectJson = { userId, accessToken: Redacted.value(accessToken) }
  }
  if (!isRecord(servers)) return undefined
  const serversJson = mapRecord(servers, (key, server) =>
    previous !== undefined && isRecord(server) && Object.hasOwn(previous.credentials.servers, key) &&
      previous.credentials.servers[key] === server ?
      previous.document.servers[key] :
      encodeServer(server), undefined)
  if (serversJson === undefined) return undefined
  return { version: currentVersion, connect: connectJson, servers: serversJson }
}
