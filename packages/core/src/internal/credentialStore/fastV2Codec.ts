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
import * as Redacted from "effect/Redacted"
import type * as Types from "effect/Types"
import { type Credentials, currentVersion, isoUtc, type Server, type ServerUser } from "./schema.js"

type Json = { readonly [key: string]: unknown }

// What Schema.Struct and Schema.Record take (Predicate.isRecord): any non-null object but an array.
const isRecord = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

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

// A record with every value mapped by `f`, or `undefined` when `f` declines one.
const mapRecord = <A>(record: Json, f: (key: string, value: unknown) => A | undefined): Record<string, A> | undefined => {
  const out: Record<string, A> = {}
  for (const key of Object.keys(record)) {
    if (key === unkeyable) return undefined
    const value = f(key, record[key])
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
 * A document `encodeDocument` built and what `decodeDocument` gives for it. For every key,
 * `credentials.servers[key]` is the decoding of `document.servers[key]`, and that entry is the
 * encoding of that server; the reuse below rests on it, and holds because only these functions
 * build a `Written`, and neither documents nor states are ever mutated.
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

const decodeUser = (id: string, json: unknown): ServerUser | undefined => {
  if (!isRecord(json)) return undefined
  const { accessToken, name } = json
  if (!isOptionalString(name) || !isOptionalString(accessToken)) return undefined
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

// What Schema.DateTimeUtc does with the string (DateTime.unsafeMake), after the file's pattern.
const decodeDate = (s: string): DateTime.Utc | undefined => {
  if (!isoUtc.test(s)) return undefined
  try {
    return DateTime.unsafeMake(s)
  } catch {
    return undefined
  }
}

const decodeServer = (id: string, json: unknown): Server | undefined => {
  if (!isRecord(json)) return undefined
  const { lastAccessed, lastConnectionMode, lastUserId, name, product, version } = json
  if (!isOptionalString(name) || !isOptionalString(version) || !isOptionalString(lastUserId)) return undefined
  if (!isOptionalProduct(product) || !isOptionalMode(lastConnectionMode)) return undefined
  const addresses = decodeAddresses(json.addresses)
  if (addresses === undefined) return undefined
  let date: DateTime.Utc | undefined
  if (lastAccessed !== undefined) {
    if (typeof lastAccessed !== "string") return undefined
    date = decodeDate(lastAccessed)
    if (date === undefined) return undefined
  }
  let connect: Server["connect"]
  if (json.connect !== undefined) {
    if (!isRecord(json.connect)) return undefined
    connect = decodeConnectLink(json.connect)
    if (connect === undefined) return undefined
  }
  if (json.users !== undefined && !isRecord(json.users)) return undefined
  const users = json.users === undefined ? {} : mapRecord(json.users, decodeUser)
  if (users === undefined) return undefined
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

/**
 * Decodes a version 2 document (parsed JSON, or a `Document`), or `undefined` when the Schema has
 * to judge it. A server entry that is the very object of `previous`'s document decodes to
 * `previous`'s server.
 *
 * @internal
 */
export const decodeDocument = (document: Json, previous?: Written): Credentials | undefined => {
  if (document.version !== currentVersion) return undefined
  if (document.servers !== undefined && !isRecord(document.servers)) return undefined
  const servers = document.servers === undefined ? {} : mapRecord(document.servers, (id, json) =>
    previous !== undefined && isRecord(json) && Object.hasOwn(previous.document.servers, id) &&
      previous.document.servers[id] === json ?
      previous.credentials.servers[id] :
      decodeServer(id, json))
  if (servers === undefined) return undefined
  const connect = document.connect
  if (connect === undefined) return { servers }
  if (!isRecord(connect)) return undefined
  const { accessToken, userId } = connect
  if (typeof userId !== "string" || typeof accessToken !== "string") return undefined
  return { connect: { userId, accessToken: Redacted.make(accessToken) }, servers }
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
  const usersJson = mapRecord(users, (_, user) => encodeUser(user))
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
      encodeServer(server))
  if (serversJson === undefined) return undefined
  return { version: currentVersion, connect: connectJson, servers: serversJson }
}
