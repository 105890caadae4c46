/**
 * Pure merge rules for saved credentials (docs/credential-store.md, "Merge rules"), with the known bugs of
 * the reference clients fixed:
 *
 * - match by Id (case-insensitively, as the C# client does); no match → add;
 * - `lastAccessed` = max(existing, incoming);
 * - every other field is copied only when the incoming value is present and non-empty, so a merge
 *   never clears anything — clearing is an explicit operation (`removeUser`, `clearUserToken`,
 *   `removeServer`, `clearConnect`);
 * - users are merged per user id instead of being replaced wholesale (MOD) or squeezed into one
 *   `UserId`/`AccessToken` pair (EJS20);
 * - a Connect server list never purges saved servers (JFJS16 did when the Connect call failed):
 *   `reconcileConnectServers` only adds and updates unless removal is asked for explicitly.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { ConnectIdentity, ConnectionMode, Credentials, Product, Server, ServerUser } from "./schema.js"

/** @internal */
export interface UserUpdate {
  readonly id: string
  readonly name?: string | undefined
  readonly accessToken?: Redacted.Redacted<string> | undefined
}

/** @internal */
export interface ServerUpdate {
  readonly id: string
  readonly name?: string | undefined
  readonly product?: typeof Product.Type | undefined
  readonly version?: string | undefined
  readonly addresses?: {
    readonly local?: string | undefined
    readonly remote?: string | undefined
    readonly manual?: string | undefined
  } | undefined
  readonly lastConnectionMode?: typeof ConnectionMode.Type | undefined
  readonly lastAccessed?: DateTime.Utc | undefined
  readonly connect?: {
    readonly serverId?: string | undefined
    readonly accessKey?: Redacted.Redacted<string> | undefined
  } | undefined
  readonly lastUserId?: string | undefined
  readonly users?: ReadonlyArray<UserUpdate> | undefined
}

/** @internal */
export const empty: Credentials = { servers: {} }

/** Ids (ServerId, user id) are GUIDs whose case differs between clients. @internal */
export const sameId = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase()

const findKey = (record: { readonly [k: string]: unknown }, id: string): string | undefined => {
  if (Object.hasOwn(record, id)) return id
  return Object.keys(record).find((key) => sameId(key, id))
}

/** @internal */
export const findServer = (credentials: Credentials, serverId: string): Option.Option<Server> => {
  const key = findKey(credentials.servers, serverId)
  return key === undefined ? Option.none() : Option.some(credentials.servers[key]!)
}

// `record[key] = value`, except that "__proto__" becomes a key (that encode refuses) rather than
// replace the record's prototype and vanish.
const setKey = <A>(record: Record<string, A>, key: string, value: A): void => {
  if (key === "__proto__") {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    record[key] = value
  }
}

const present = (s: string | undefined): s is string => s !== undefined && s.length > 0
const presentSecret = (r: Redacted.Redacted<string> | undefined): r is Redacted.Redacted<string> => r !== undefined

// Copies `value` under `key` only when present; otherwise keeps what `base` had.
const pick = <K extends string, V>(key: K, value: V | undefined, fallback: V | undefined, isPresent: (v: V | undefined) => boolean) =>
  (isPresent(value) ? { [key]: value } : fallback === undefined ? {} : { [key]: fallback }) as { readonly [P in K]?: V }

const pickString = <K extends string>(key: K, value: string | undefined, fallback: string | undefined) =>
  pick(key, value, fallback, present)

const pickDefined = <K extends string, V>(key: K, value: V | undefined, fallback: V | undefined) =>
  pick(key, value, fallback, (v) => v !== undefined)

/** @internal */
export const mergeUser = (existing: ServerUser | undefined, update: UserUpdate): ServerUser => ({
  id: existing?.id ?? update.id,
  ...pickString("name", update.name, existing?.name),
  ...pick("accessToken", update.accessToken, existing?.accessToken, presentSecret)
})

const mergeUsers = (
  existing: { readonly [id: string]: ServerUser },
  updates: ReadonlyArray<UserUpdate>
): { readonly [id: string]: ServerUser } => {
  const users: Record<string, ServerUser> = { ...existing }
  for (const update of updates) {
    if (update.id.length === 0) continue
    const key = findKey(users, update.id) ?? update.id
    setKey(users, key, mergeUser(users[key], update))
  }
  return users
}

const maxDate = (a: DateTime.Utc | undefined, b: DateTime.Utc | undefined): DateTime.Utc | undefined =>
  a === undefined ? b : b === undefined ? a : DateTime.max(a, b)

/** @internal */
export const mergeServer = (existing: Server | undefined, update: ServerUpdate): Server => {
  const addresses = existing?.addresses ?? {}
  const connect = mergeConnectLink(existing?.connect, update.connect)
  const lastAccessed = maxDate(existing?.lastAccessed, update.lastAccessed)
  return {
    id: existing?.id ?? update.id,
    ...pickString("name", update.name, existing?.name),
    ...pickDefined("product", update.product, existing?.product),
    ...pickString("version", update.version, existing?.version),
    addresses: {
      ...pickString("local", update.addresses?.local, addresses.local),
      ...pickString("remote", update.addresses?.remote, addresses.remote),
      ...pickString("manual", update.addresses?.manual, addresses.manual)
    },
    ...pickDefined("lastConnectionMode", update.lastConnectionMode, existing?.lastConnectionMode),
    ...(lastAccessed === undefined ? {} : { lastAccessed }),
    ...(connect === undefined ? {} : { connect }),
    ...pickString("lastUserId", update.lastUserId, existing?.lastUserId),
    users: mergeUsers(existing?.users ?? {}, update.users ?? [])
  }
}

const mergeConnectLink = (
  existing: Server["connect"],
  update: ServerUpdate["connect"]
): Server["connect"] => {
  if (update === undefined) return existing
  const merged = {
    ...pickString("serverId", update.serverId, existing?.serverId),
    ...pick("accessKey", update.accessKey, existing?.accessKey, presentSecret)
  }
  return Object.keys(merged).length === 0 ? existing : merged
}

const withServer = (credentials: Credentials, key: string, server: Server): Credentials => {
  const servers = { ...credentials.servers }
  setKey(servers, key, server)
  return { ...credentials, servers }
}

const withoutServer = (credentials: Credentials, key: string): Credentials => {
  const servers = { ...credentials.servers }
  delete servers[key]
  return { ...credentials, servers }
}

/** @internal */
export const upsertServer = (credentials: Credentials, update: ServerUpdate): readonly [Server, Credentials] => {
  const key = findKey(credentials.servers, update.id) ?? update.id
  const server = mergeServer(credentials.servers[key], update)
  return [server, withServer(credentials, key, server)]
}

/** Saves a user of a server (merging per user id) and makes it the server's last user. @internal */
export const setUser = (credentials: Credentials, serverId: string, user: UserUpdate): readonly [Server, Credentials] =>
  upsertServer(credentials, { id: serverId, users: [user], lastUserId: user.id })

const updateServer = (
  credentials: Credentials,
  serverId: string,
  f: (server: Server) => Server | undefined
): readonly [boolean, Credentials] => {
  const key = findKey(credentials.servers, serverId)
  if (key === undefined) return [false, credentials]
  const next = f(credentials.servers[key]!)
  if (next === undefined) return [false, credentials]
  return [true, withServer(credentials, key, next)]
}

/** Removes a user (and so its token) from a server. @internal */
export const removeUser = (credentials: Credentials, serverId: string, userId: string): readonly [boolean, Credentials] =>
  updateServer(credentials, serverId, (server) => {
    const key = findKey(server.users, userId)
    if (key === undefined) return undefined
    const { [key]: _removed, ...users } = server.users
    const { lastUserId, ...rest } = server
    return { ...rest, ...(lastUserId !== undefined && !sameId(lastUserId, userId) ? { lastUserId } : {}), users }
  })

/** Forgets a user's access token but keeps the user (a UI can still offer "sign in as …"). @internal */
export const clearUserToken = (
  credentials: Credentials,
  serverId: string,
  userId: string
): readonly [boolean, Credentials] =>
  updateServer(credentials, serverId, (server) => {
    const key = findKey(server.users, userId)
    if (key === undefined || server.users[key]!.accessToken === undefined) return undefined
    const { accessToken: _token, ...user } = server.users[key]!
    return { ...server, users: { ...server.users, [key]: user } }
  })

/** @internal */
export const removeServer = (credentials: Credentials, serverId: string): readonly [boolean, Credentials] => {
  const key = findKey(credentials.servers, serverId)
  return key === undefined ? [false, credentials] : [true, withoutServer(credentials, key)]
}

/** @internal */
export const setConnect = (credentials: Credentials, identity: typeof ConnectIdentity.Type): Credentials => ({
  ...credentials,
  connect: identity
})

const withoutAccessKey = (server: Server): Server => {
  if (server.connect?.accessKey === undefined) return server
  const { accessKey: _key, ...connect } = server.connect
  return { ...server, connect }
}

/**
 * Connect sign-out: forgets the Connect identity and every AccessKey (they are the signed-out
 * Connect user's). Servers, their addresses and their local users stay.
 *
 * @internal
 */
export const clearConnect = (credentials: Credentials): Credentials => {
  const { connect: _connect, ...rest } = credentials
  const servers: Record<string, Server> = {}
  for (const [key, server] of Object.entries(credentials.servers)) setKey(servers, key, withoutAccessKey(server))
  return { ...rest, servers }
}

/** @internal */
export interface ReconcileOptions {
  /**
   * Also unlink Connect servers missing from the list: their Connect link is dropped, and the
   * server itself is forgotten when no user of it holds a token. Only pass this for a list that
   * really came from a successful Connect call.
   */
  readonly removeMissing?: boolean | undefined
}

const hasToken = (server: Server): boolean => Object.values(server.users).some((u) => u.accessToken !== undefined)

/**
 * Applies a Connect server list: every listed server is added or merged. Nothing is removed
 * unless `removeMissing` is set.
 *
 * @internal
 */
export const reconcileConnectServers = (
  credentials: Credentials,
  list: ReadonlyArray<ServerUpdate>,
  options?: ReconcileOptions
): Credentials => {
  let next = credentials
  for (const update of list) next = upsertServer(next, update)[1]
  if (options?.removeMissing !== true) return next
  for (const [key, server] of Object.entries(next.servers)) {
    if (server.connect === undefined || list.some((u) => sameId(u.id, server.id))) continue
    const { connect: _link, ...unlinked } = server
    next = hasToken(unlinked as Server) ? withServer(next, key, unlinked as Server) : withoutServer(next, key)
  }
  return next
}

/** Servers, most recently accessed first (never-accessed last, then by name). @internal */
export const servers = (credentials: Credentials): ReadonlyArray<Server> =>
  [...Object.values(credentials.servers)].sort((a, b) => {
    const ta = a.lastAccessed === undefined ? -Infinity : DateTime.toEpochMillis(a.lastAccessed)
    const tb = b.lastAccessed === undefined ? -Infinity : DateTime.toEpochMillis(b.lastAccessed)
    if (ta !== tb) return tb - ta
    return (a.name ?? a.id).localeCompare(b.name ?? b.id)
  })
