/**
 * What the credential store keeps, in memory and on disk.
 *
 * Two layers of schema: the in-memory model (`Credentials`, secrets `Redacted`, every record
 * carrying its own id) and the file document (`CredentialFileV2`, plain JSON keyed by id, secrets
 * in clear because the file is the one place they are allowed to be). `CredentialFileV1` is the
 * Emby web `servercredentials3` shape we migrate from (see docs/credential-store.md, "Migration from `servercredentials3`").
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** The document version this code writes. @internal */
export const currentVersion = 2 as const

// -----------------------------------------------------------------------------
// In-memory model
// -----------------------------------------------------------------------------

const Secret = Schema.Redacted(Schema.String)

// Servers and users are kept in records keyed by id, and Schema.Record (like any safe JSON reader)
// drops a "__proto__" key rather than set the prototype. Ids come from servers on the network, so a
// server answering with such an id gets a clear error instead of a silently lost record.
const Id = Schema.String.pipe(
  Schema.filter((id) => id !== "__proto__", { message: () => `"__proto__" cannot be used as a server or user id` })
)

/** @internal */
export const Product = Schema.Literal("Jellyfin", "Emby")

/**
 * Which saved address reached the server last. The legacy JS enum is 0|1|2 (C#/Java 1|2|3);
 * names survive renumbering, so the file stores names.
 *
 * @internal
 */
export const ConnectionMode = Schema.Literal("Local", "Remote", "Manual")

/** @internal */
export const ServerUser = Schema.Struct({
  id: Id,
  name: Schema.optional(Schema.String),
  accessToken: Schema.optional(Secret)
})

/** @internal */
export const ServerAddresses = Schema.Struct({
  local: Schema.optional(Schema.String),
  remote: Schema.optional(Schema.String),
  manual: Schema.optional(Schema.String)
})

/**
 * Present when the server came from Emby Connect: the Connect server record id and the AccessKey
 * that is exchanged for an AccessToken on every connect (the key is what persists).
 *
 * @internal
 */
export const ConnectLink = Schema.Struct({
  serverId: Schema.optional(Schema.String),
  accessKey: Schema.optional(Secret)
})

/** @internal */
export const Server = Schema.Struct({
  id: Id,
  name: Schema.optional(Schema.String),
  product: Schema.optional(Product),
  version: Schema.optional(Schema.String),
  addresses: ServerAddresses,
  lastConnectionMode: Schema.optional(ConnectionMode),
  lastAccessed: Schema.optional(Schema.DateTimeUtc),
  connect: Schema.optional(ConnectLink),
  lastUserId: Schema.optional(Schema.String),
  users: Schema.Record({ key: Id, value: ServerUser })
})

/** @internal */
export const ConnectIdentity = Schema.Struct({
  userId: Schema.String,
  accessToken: Secret
})

/** @internal */
export const Credentials = Schema.Struct({
  connect: Schema.optional(ConnectIdentity),
  servers: Schema.Record({ key: Id, value: Server })
})

/** @internal */
export type Credentials = typeof Credentials.Type
/** @internal */
export type Server = typeof Server.Type
/** @internal */
export type ServerUser = typeof ServerUser.Type

// -----------------------------------------------------------------------------
// File document, version 2 (current)
// -----------------------------------------------------------------------------

// Records in the file are keyed by id and do not repeat it, so a hand edit cannot make the key and
// the id disagree. The transform below adds the ids back for the in-memory model, and the empty
// `servers`, `addresses` and `users` a document may leave out: as `optionalWith` defaults they
// would make every struct that has one a transformation of its own, parsed twice per decode.
const UserJson = Schema.Struct({
  name: Schema.optional(Schema.String),
  accessToken: Schema.optional(Schema.String)
})

/**
 * Strict ISO 8601 in UTC as `toISOString` writes it (extended years included): `Date.parse`
 * alone would accept almost anything ("x-9" is a date to V8).
 *
 * @internal
 */
export const isoUtc = /^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/

const ServerJson = Schema.Struct({
  name: Schema.optional(Schema.String),
  product: Schema.optional(Product),
  version: Schema.optional(Schema.String),
  addresses: Schema.optional(Schema.Struct({
    local: Schema.optional(Schema.String),
    remote: Schema.optional(Schema.String),
    manual: Schema.optional(Schema.String)
  })),
  lastConnectionMode: Schema.optional(ConnectionMode),
  lastAccessed: Schema.optional(Schema.String.pipe(Schema.pattern(isoUtc))),
  connect: Schema.optional(Schema.Struct({
    serverId: Schema.optional(Schema.String),
    accessKey: Schema.optional(Schema.String)
  })),
  lastUserId: Schema.optional(Schema.String),
  users: Schema.optional(Schema.Record({ key: Id, value: UserJson }))
})

const FileV2Json = Schema.Struct({
  version: Schema.Literal(currentVersion),
  connect: Schema.optional(Schema.Struct({ userId: Schema.String, accessToken: Schema.String })),
  servers: Schema.optional(Schema.Record({ key: Id, value: ServerJson }))
})

const mapValues = <A, B>(record: { readonly [k: string]: A }, f: (key: string, a: A) => B): Record<string, B> => {
  const out: Record<string, B> = {}
  for (const [key, value] of Object.entries(record)) out[key] = f(key, value)
  return out
}

/**
 * The version 2 document ⇄ in-memory `Credentials`.
 *
 * @internal
 */
export const CredentialFileV2 = Schema.transform(FileV2Json, Credentials, {
  strict: true,
  decode: (file) => ({
    ...(file.connect === undefined ? {} : { connect: file.connect }),
    servers: mapValues(file.servers ?? {}, (id, server) => ({
      ...server,
      id,
      addresses: server.addresses ?? {},
      users: mapValues(server.users ?? {}, (userId, user) => ({ ...user, id: userId }))
    }))
  }),
  encode: (credentials) => ({
    version: currentVersion,
    ...(credentials.connect === undefined ? {} : { connect: credentials.connect }),
    servers: mapValues(credentials.servers, (_, { id: _id, users, ...server }) => ({
      ...server,
      users: mapValues(users, (_, { id: _userId, ...user }) => user)
    }))
  })
})

// -----------------------------------------------------------------------------
// File document, version 1 (legacy `servercredentials3`)
// -----------------------------------------------------------------------------

// Emby web stores `null` for cleared fields and sometimes empty strings; both mean "absent".
const Nullable = <S extends Schema.Schema.Any>(schema: S) => Schema.optional(Schema.NullOr(schema))

const V1User = Schema.Struct({
  UserId: Schema.String,
  AccessToken: Nullable(Schema.String)
})

const V1Server = Schema.Struct({
  Id: Schema.String,
  Name: Nullable(Schema.String),
  LocalAddress: Nullable(Schema.String),
  RemoteAddress: Nullable(Schema.String),
  ManualAddress: Nullable(Schema.String),
  LastConnectionMode: Nullable(Schema.Literal(0, 1, 2)),
  // ms since the epoch in the JS clients; C# serialises a date string.
  DateLastAccessed: Nullable(Schema.Union(Schema.Number, Schema.String)),
  UserId: Nullable(Schema.String),
  AccessToken: Nullable(Schema.String),
  Users: Nullable(Schema.Array(V1User)),
  ExchangeToken: Nullable(Schema.String),
  ConnectServerId: Nullable(Schema.String)
})

/**
 * The Emby web `servercredentials3` document (EJS20 single-user model, plus the MOD `Users` list).
 * Unknown fields (`Type`, `WakeOnLanInfos`, `UserLinkType`, …) are ignored.
 *
 * @internal
 */
export const CredentialFileV1 = Schema.Struct({
  ConnectAccessToken: Nullable(Schema.String),
  ConnectUserId: Nullable(Schema.String),
  Servers: Nullable(Schema.Array(V1Server))
})

/** @internal */
export type CredentialFileV1 = typeof CredentialFileV1.Type
