/**
 * The credential store: every server the user signed in to, keyed by ServerId, with its
 * addresses, its users and their access tokens, plus the Emby Connect identity.
 *
 * Secrets (access tokens, Connect AccessKeys) are `Redacted` in memory; only the stored encoding
 * holds them in clear. Three layers: in memory, a JSON file (atomic writes, mode 0600, an
 * inter-process lock) and any `KeyValueStore` (localStorage in browsers).
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Path from "@effect/platform/Path"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as backend from "./internal/credentialStore/backend.js"
import * as document from "./internal/credentialStore/document.js"
import * as errors from "./internal/credentialStore/errors.js"
import * as file from "./internal/credentialStore/file.js"
import * as merge from "./internal/credentialStore/merge.js"
import * as schema from "./internal/credentialStore/schema.js"

// -----------------------------------------------------------------------------
// Models
// -----------------------------------------------------------------------------

/**
 * The whole store: the Connect identity (when signed in to Emby Connect) and the servers by
 * ServerId.
 *
 * @since 0.1.0
 * @category models
 */
export const Credentials: typeof schema.Credentials = schema.Credentials

/**
 * @since 0.1.0
 * @category models
 */
export type Credentials = typeof schema.Credentials.Type

/**
 * One saved server. `connect` is present when it came from Emby Connect (the AccessKey is what
 * persists; it is exchanged for a token on every connect). `users` are keyed by user id;
 * `lastUserId` is the user who signed in last.
 *
 * @since 0.1.0
 * @category models
 */
export const Server: typeof schema.Server = schema.Server

/**
 * @since 0.1.0
 * @category models
 */
export type Server = typeof schema.Server.Type

/**
 * A user of a server and their access token.
 *
 * @since 0.1.0
 * @category models
 */
export const ServerUser: typeof schema.ServerUser = schema.ServerUser

/**
 * @since 0.1.0
 * @category models
 */
export type ServerUser = typeof schema.ServerUser.Type

/**
 * The signed-in Emby Connect user.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectIdentity: typeof schema.ConnectIdentity = schema.ConnectIdentity

/**
 * @since 0.1.0
 * @category models
 */
export type ConnectIdentity = typeof schema.ConnectIdentity.Type

/**
 * `"Jellyfin" | "Emby"`.
 *
 * @since 0.1.0
 * @category models
 */
export const Product: typeof schema.Product = schema.Product

/**
 * @since 0.1.0
 * @category models
 */
export type Product = typeof schema.Product.Type

/**
 * Which saved address reached the server last: `"Local" | "Remote" | "Manual"`.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectionMode: typeof schema.ConnectionMode = schema.ConnectionMode

/**
 * @since 0.1.0
 * @category models
 */
export type ConnectionMode = typeof schema.ConnectionMode.Type

/**
 * What to merge into a saved server. Only `id` is required; absent, `undefined` and empty values
 * leave the saved value alone (merging never clears — see the explicit clearing operations).
 *
 * @since 0.1.0
 * @category models
 */
export type ServerUpdate = merge.ServerUpdate

/**
 * What to merge into a saved user (per user id).
 *
 * @since 0.1.0
 * @category models
 */
export type UserUpdate = merge.UserUpdate

/**
 * @since 0.1.0
 * @category models
 */
export type ReconcileOptions = merge.ReconcileOptions

/**
 * The file schema version this module writes (older versions are migrated on read).
 *
 * @since 0.1.0
 * @category models
 */
export const currentVersion: number = schema.currentVersion

/**
 * The stored document (version 2): JSON text ⇄ `Credentials`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CredentialFile: typeof schema.CredentialFileV2 = schema.CredentialFileV2

/**
 * The previous document: Emby web's `servercredentials3` (also Jellyfin's `jellyfin_credentials`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CredentialFileV1: typeof schema.CredentialFileV1 = schema.CredentialFileV1

/**
 * Migrates a decoded `servercredentials3` document.
 *
 * @since 0.1.0
 * @category conversions
 */
export const migrateV1: (v1: typeof schema.CredentialFileV1.Type) => Credentials = document.migrateV1

// -----------------------------------------------------------------------------
// Errors
// -----------------------------------------------------------------------------

/**
 * The stored document is not valid (bad JSON, bad UTF-8, not matching its schema). The file was
 * left untouched and is never overwritten; `detail` locates the problem without quoting it.
 *
 * @since 0.1.0
 * @category errors
 */
export const CorruptCredentialFile: typeof errors.CorruptCredentialFile = errors.CorruptCredentialFile

/**
 * @since 0.1.0
 * @category errors
 */
export type CorruptCredentialFile = errors.CorruptCredentialFile

/**
 * The stored document is not a credential file by its shape (another program's JSON, e.g.
 * `{"version":1,"aws_access_key":…}`). It is left untouched and never overwritten; `detail` says
 * what gave it away without quoting values.
 *
 * @since 0.1.0
 * @category errors
 */
export const ForeignCredentialFile: typeof errors.ForeignCredentialFile = errors.ForeignCredentialFile

/**
 * @since 0.1.0
 * @category errors
 */
export type ForeignCredentialFile = errors.ForeignCredentialFile

/**
 * The file exists but cannot be read (permissions, a directory in its place, an I/O error).
 *
 * @since 0.1.0
 * @category errors
 */
export const CredentialFileUnreadable: typeof errors.CredentialFileUnreadable = errors.CredentialFileUnreadable

/**
 * @since 0.1.0
 * @category errors
 */
export type CredentialFileUnreadable = errors.CredentialFileUnreadable

/**
 * The new state could not be written (read-only directory, disk full, …). The previous file is
 * unchanged and no partial or temp file is left behind.
 *
 * @since 0.1.0
 * @category errors
 */
export const CredentialFileUnwritable: typeof errors.CredentialFileUnwritable = errors.CredentialFileUnwritable

/**
 * @since 0.1.0
 * @category errors
 */
export type CredentialFileUnwritable = errors.CredentialFileUnwritable

/**
 * Another live process held the file lock for longer than the configured wait.
 *
 * @since 0.1.0
 * @category errors
 */
export const LockTimeout: typeof errors.LockTimeout = errors.LockTimeout

/**
 * @since 0.1.0
 * @category errors
 */
export type LockTimeout = errors.LockTimeout

/**
 * The file was written by a newer mbauth (schema version above `currentVersion`); it is left
 * untouched.
 *
 * @since 0.1.0
 * @category errors
 */
export const UnsupportedSchemaVersion: typeof errors.UnsupportedSchemaVersion = errors.UnsupportedSchemaVersion

/**
 * @since 0.1.0
 * @category errors
 */
export type UnsupportedSchemaVersion = errors.UnsupportedSchemaVersion

/**
 * @since 0.1.0
 * @category errors
 */
export type CredentialStoreError = errors.CredentialStoreError

// -----------------------------------------------------------------------------
// Pure operations (for `update` / `modify`)
// -----------------------------------------------------------------------------

/**
 * An empty store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: Credentials = merge.empty

/**
 * Looks a server up by ServerId (case-insensitively: clients differ in the case of GUIDs).
 *
 * @since 0.1.0
 * @category accessors
 */
export const findServer: (credentials: Credentials, serverId: string) => Option.Option<Server> = merge.findServer

/**
 * The saved servers, most recently accessed first.
 *
 * @since 0.1.0
 * @category accessors
 */
export const sortedServers: (credentials: Credentials) => ReadonlyArray<Server> = merge.servers

/**
 * Merges `update` into the server with the same id, or adds it, by the merge rules.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mergeServer = (credentials: Credentials, update: ServerUpdate): Credentials =>
  merge.upsertServer(credentials, update)[1]

// -----------------------------------------------------------------------------
// Service
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Where the credentials are kept: a file path, `KeyValueStore:<key>` or `memory`. */
  readonly location: string
  /** The whole state, as stored now. */
  readonly get: Effect.Effect<Credentials, CredentialStoreError>
  readonly getServer: (serverId: string) => Effect.Effect<Option.Option<Server>, CredentialStoreError>
  /** Saved servers, most recently accessed first. */
  readonly listServers: Effect.Effect<ReadonlyArray<Server>, CredentialStoreError>
  /** Adds or merges a server; returns it as saved. */
  readonly upsertServer: (update: ServerUpdate) => Effect.Effect<Server, CredentialStoreError>
  /**
   * Applies a server list from Emby Connect: adds and merges. Nothing is deleted unless
   * `removeMissing` is set, so a failed or partial Connect call can never purge saved servers.
   */
  readonly reconcileConnectServers: (
    servers: ReadonlyArray<ServerUpdate>,
    options?: ReconcileOptions
  ) => Effect.Effect<Credentials, CredentialStoreError>
  /** Saves a user of a server (merged per user id; adds the server when unknown). */
  readonly setUser: (serverId: string, user: UserUpdate) => Effect.Effect<Server, CredentialStoreError>
  /** Forgets a user's token, keeping the user. `false` when there was nothing to clear. */
  readonly clearUserToken: (serverId: string, userId: string) => Effect.Effect<boolean, CredentialStoreError>
  /** Forgets a user and their token. `false` when unknown. */
  readonly removeUser: (serverId: string, userId: string) => Effect.Effect<boolean, CredentialStoreError>
  /** Forgets a server entirely. `false` when unknown. */
  readonly removeServer: (serverId: string) => Effect.Effect<boolean, CredentialStoreError>
  readonly setConnect: (identity: ConnectIdentity) => Effect.Effect<void, CredentialStoreError>
  /** Connect sign-out: forgets the Connect identity and every server's AccessKey; servers stay. */
  readonly clearConnect: Effect.Effect<void, CredentialStoreError>
  /**
   * Atomic read-modify-write: `f` sees the current stored state (re-read under the lock for the
   * file layer) and returns a result and the new state.
   */
  readonly modify: <A>(f: (credentials: Credentials) => readonly [A, Credentials]) => Effect.Effect<A, CredentialStoreError>
  /** `modify` returning the new state. */
  readonly update: (f: (credentials: Credentials) => Credentials) => Effect.Effect<Credentials, CredentialStoreError>
  /**
   * Runs `use` as the only holder of `key` among every process sharing this store (the file store:
   * a lock of its own next to the file, taken as the store's lock is; the others: within this
   * process), after checking that the store can be read and, for the file store, written: taking
   * the lock creates a file in its folder. The store's own operations work inside `use`.
   *
   * A sign-in runs in it, keyed by what the service replaces a token for (server and DeviceId):
   * two sign-ins that would revoke each other's token run one after the other, and a read-only
   * folder is found before any password is sent. Waits up to 2 minutes for another holder.
   */
  readonly exclusive: (key: string) => <A, E, R>(use: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CredentialStoreError, R>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CredentialStore extends Context.Tag("@mbauth/core/CredentialStore")<CredentialStore, Service>() {}

const fromBackend = (store: backend.Backend): Service => {
  const { modify } = store
  return CredentialStore.of({
    location: store.location,
    get: Effect.withSpan(store.load, "CredentialStore.get"),
    getServer: Effect.fn("CredentialStore.getServer")(function*(serverId: string) {
      return merge.findServer(yield* store.load, serverId)
    }),
    listServers: Effect.withSpan(Effect.map(store.load, merge.servers), "CredentialStore.listServers"),
    upsertServer: Effect.fn("CredentialStore.upsertServer")((update: ServerUpdate) =>
      modify((c) => merge.upsertServer(c, update))
    ),
    reconcileConnectServers: Effect.fn("CredentialStore.reconcileConnectServers")(
      (servers: ReadonlyArray<ServerUpdate>, options?: ReconcileOptions) =>
        modify((c) => {
          const next = merge.reconcileConnectServers(c, servers, options)
          return [next, next] as const
        })
    ),
    setUser: Effect.fn("CredentialStore.setUser")((serverId: string, user: UserUpdate) =>
      modify((c) => merge.setUser(c, serverId, user))
    ),
    clearUserToken: Effect.fn("CredentialStore.clearUserToken")((serverId: string, userId: string) =>
      modify((c) => merge.clearUserToken(c, serverId, userId))
    ),
    removeUser: Effect.fn("CredentialStore.removeUser")((serverId: string, userId: string) =>
      modify((c) => merge.removeUser(c, serverId, userId))
    ),
    removeServer: Effect.fn("CredentialStore.removeServer")((serverId: string) =>
      modify((c) => merge.removeServer(c, serverId))
    ),
    setConnect: Effect.fn("CredentialStore.setConnect")((identity: ConnectIdentity) =>
      modify((c) => [undefined, merge.setConnect(c, identity)] as const)
    ),
    clearConnect: Effect.withSpan(
      modify((c) => [undefined, merge.clearConnect(c)] as const),
      "CredentialStore.clearConnect"
    ),
    modify: (f) => Effect.withSpan(modify(f), "CredentialStore.modify"),
    update: (f) =>
      Effect.withSpan(
        modify((c) => {
          const next = f(c)
          return [next, next] as const
        }),
        "CredentialStore.update"
      ),
    exclusive: store.exclusive
  })
}

// -----------------------------------------------------------------------------
// Constructors and layers
// -----------------------------------------------------------------------------

/**
 * Options of the file store.
 *
 * @since 0.1.0
 * @category models
 */
export interface FileOptions {
  /** The credential file. Its directory is created (mode 0700) on first write. */
  readonly path: string
  /** How long a write waits for another process's lock before `LockTimeout`. Default 10 seconds. */
  readonly lockTimeout?: Duration.DurationInput | undefined
  /**
   * A lock older than this is taken to be abandoned even if its pid is alive (pid reuse, another
   * host on a shared disk). Locks of dead processes are broken at once. Default 30 seconds.
   */
  readonly staleLockAfter?: Duration.DurationInput | undefined
}

/**
 * An in-memory store (tests, short-lived programs).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (initial?: Credentials): Effect.Effect<Service> =>
  Effect.map(backend.makeMemory(initial), fromBackend)

/**
 * A store kept in a JSON file.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFile = (options: FileOptions): Effect.Effect<Service, never, FileSystem.FileSystem | Path.Path> =>
  Effect.map(
    file.makeFile({
      path: options.path,
      lockTimeoutMillis: Duration.toMillis(options.lockTimeout ?? Duration.seconds(10)),
      staleLockMillis: Duration.toMillis(options.staleLockAfter ?? Duration.seconds(30))
    }),
    fromBackend
  )

/**
 * Options of the `KeyValueStore` store.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyValueStoreOptions {
  /** The key holding the document. Default `"mbauth/credentials"`. */
  readonly key?: string | undefined
}

/**
 * A store kept under one key of a `KeyValueStore` (e.g. `KeyValueStore.layerStorage(() =>
 * localStorage)` in a browser).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeKeyValueStore = (
  options?: KeyValueStoreOptions
): Effect.Effect<Service, never, KeyValueStore.KeyValueStore> =>
  Effect.map(backend.makeKeyValueStore(options?.key ?? "mbauth/credentials"), fromBackend)

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (initial?: Credentials): Layer.Layer<CredentialStore> =>
  Layer.effect(CredentialStore, makeMemory(initial))

/**
 * @since 0.1.0
 * @category layers
 */
export const layerFile = (options: FileOptions): Layer.Layer<CredentialStore, never, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(CredentialStore, makeFile(options))

/**
 * @since 0.1.0
 * @category layers
 */
export const layerKeyValueStore = (
  options?: KeyValueStoreOptions
): Layer.Layer<CredentialStore, never, KeyValueStore.KeyValueStore> =>
  Layer.effect(CredentialStore, makeKeyValueStore(options))

// An empty variable counts as unset (`MBAUTH_CONFIG_DIR= mbauth …`).
const nonEmptyEnv = (name: string) =>
  Config.string(name).pipe(Config.withDefault(""), Config.map(Option.liftPredicate((s: string) => s.length > 0)))

/**
 * The default credential file:
 * `$MBAUTH_CONFIG_DIR/credentials.json` when set, else `$XDG_CONFIG_HOME/mbauth/credentials.json`
 * (an absolute `XDG_CONFIG_HOME` only, as the XDG spec says), else
 * `~/.config/mbauth/credentials.json` (`HOME`, or `USERPROFILE` on Windows).
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPath: Effect.Effect<string, ConfigError.ConfigError, Path.Path> = Effect.gen(function*() {
  const path = yield* Path.Path
  const [dir, xdg, home, userProfile] = yield* Config.all([
    nonEmptyEnv("MBAUTH_CONFIG_DIR"),
    nonEmptyEnv("XDG_CONFIG_HOME"),
    nonEmptyEnv("HOME"),
    nonEmptyEnv("USERPROFILE")
  ])
  if (Option.isSome(dir)) return path.join(path.resolve(dir.value), "credentials.json")
  if (Option.isSome(xdg) && path.isAbsolute(xdg.value)) return path.join(xdg.value, "mbauth", "credentials.json")
  const homeDir = Option.orElse(home, () => userProfile)
  if (Option.isSome(homeDir)) return path.join(homeDir.value, ".config", "mbauth", "credentials.json")
  return yield* Effect.fail(
    ConfigError.MissingData(["HOME"], "No home directory: set MBAUTH_CONFIG_DIR to the directory for credentials.json")
  )
})

/**
 * The file store at `defaultPath`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFileConfig = (
  options?: Omit<FileOptions, "path">
): Layer.Layer<CredentialStore, ConfigError.ConfigError, FileSystem.FileSystem | Path.Path> =>
  Layer.unwrapEffect(Effect.map(defaultPath, (path) => layerFile({ ...options, path })))
