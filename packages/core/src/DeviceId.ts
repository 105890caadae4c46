/**
 * Stable `DeviceId`s per (install, user).
 *
 * Jellyfin keeps **one access token per (DeviceId, user)**: signing in revokes every other token of
 * the same user on the same DeviceId. Active sessions are also keyed by `Client` + `DeviceId`, so two
 * users sharing a DeviceId share (and keep stealing) one session entry. A DeviceId shared between
 * users on one machine therefore silently signs the other user out. Clients such as Swiftfin now
 * derive one DeviceId per user; this module does the same:
 *
 * - a random **install id** is generated once per installation and kept in the caller's
 *   `KeyValueStore` (a file, `localStorage`, memory in tests);
 * - the DeviceId for a user is a SHA-256 hash of the install id and the user name. The raw user name
 *   never leaves the process, and because the install id salts the hash, the same name gives
 *   unrelated DeviceIds on different installs and a DeviceId cannot be mapped back to a name without
 *   the install id;
 * - the output uses only `A–Z a–z 0–9 - _`, characters that every SDK's percent-encoding leaves
 *   alone, so the id reaches the server byte for byte whichever client formats the header.
 *
 * @example
 * ```ts
 * import * as KeyValueStore from "@effect/platform/KeyValueStore"
 * import * as Effect from "effect/Effect"
 * import * as DeviceId from "@mbauth/core/DeviceId"
 *
 * const program = Effect.gen(function*() {
 *   const alice = yield* DeviceId.forUser("alice") // the same value on every run of this install
 *   const bob = yield* DeviceId.forUser("bob") // a different device for bob
 *   return [alice, bob]
 * }).pipe(Effect.provide(KeyValueStore.layerMemory))
 * ```
 *
 * @since 0.1.0
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

const urlSafe = /^[A-Za-z0-9_-]+$/

/**
 * A per-install random id: 128 random bits, base64url without padding (22 characters).
 *
 * @since 0.1.0
 * @category schemas
 */
export const InstallId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{22}$/),
  Schema.brand("@mbauth/core/DeviceId/InstallId"),
  Schema.annotations({ identifier: "InstallId", description: "128 random bits, base64url without padding" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type InstallId = typeof InstallId.Type

/**
 * A DeviceId made only of characters that need no encoding in any SDK's header format
 * (`A–Z a–z 0–9 - _`), 1 to 256 characters (Jellyfin's column limit).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeviceId = Schema.String.pipe(
  Schema.pattern(urlSafe),
  Schema.maxLength(256),
  Schema.brand("@mbauth/core/DeviceId"),
  Schema.annotations({ identifier: "DeviceId", description: "A device id of URL-safe characters" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type DeviceId = typeof DeviceId.Type

/**
 * The install id could not be read from or written to the store, or the stored value is not an
 * install id (the store was edited or belongs to something else).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeviceIdError extends Schema.TaggedError<DeviceIdError>("@mbauth/core/DeviceId/DeviceIdError")(
  "DeviceIdError",
  {
    reason: Schema.Literal("StoreFailed", "InvalidStoredValue"),
    key: Schema.String,
    cause: Schema.optional(Schema.Defect)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason === "StoreFailed"
      ? `Could not read or write the install id under key "${this.key}" of the KeyValueStore`
      : `The value stored under key "${this.key}" is not an install id (22 characters of A-Z a-z 0-9 - _); ` +
        `remove it to generate a new one (this install will then sign in as a new device)`
  }
}

/**
 * The key `installId` and `forUser` use in the `KeyValueStore` unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStoreKey = "mbauth/install-id"

const base64Url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/**
 * A new random install id from the platform's cryptographic random source.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generateInstallId: Effect.Effect<InstallId> = Effect.sync(() =>
  InstallId.make(base64Url(globalThis.crypto.getRandomValues(new Uint8Array(16))))
)

/**
 * The install id kept in the `KeyValueStore` under `key` (default {@link defaultStoreKey}), created
 * and stored on first use.
 *
 * @since 0.1.0
 * @category constructors
 */
export const installId: (
  options?: { readonly key?: string | undefined } | undefined
) => Effect.Effect<InstallId, DeviceIdError, KeyValueStore.KeyValueStore> = Effect.fn("DeviceId.installId")(
  function*(options) {
    const key = options?.key ?? defaultStoreKey
    const store = yield* KeyValueStore.KeyValueStore
    const storeFailed = (cause: unknown) => new DeviceIdError({ reason: "StoreFailed", key, cause })
    const stored = yield* Effect.mapError(store.get(key), storeFailed)
    if (Option.isSome(stored)) {
      return yield* Schema.decodeUnknown(InstallId)(stored.value).pipe(
        Effect.mapError(() => new DeviceIdError({ reason: "InvalidStoredValue", key }))
      )
    }
    const created = yield* generateInstallId
    yield* Effect.mapError(store.set(key, created), storeFailed)
    return created
  }
)

// Normalised so that the spellings a server treats as the same user (Jellyfin compares user names
// case-insensitively) give the same DeviceId, and so that composed/decomposed forms agree.
const normaliseUserName = (userName: string): string => userName.normalize("NFC").trim().toLowerCase()

const encoder = new TextEncoder()

/**
 * The DeviceId for `userName` on the install `installId`: the first 24 bytes of
 * SHA-256("mbauth/DeviceId/v1", installId, normalised user name), base64url (32 characters).
 * User names are compared as Jellyfin does (case-insensitively, after Unicode NFC and trimming).
 *
 * @since 0.1.0
 * @category constructors
 */
export const derive: (installId: InstallId, userName: string) => Effect.Effect<DeviceId> = Effect.fn(
  "DeviceId.derive"
)(function*(installId, userName) {
  // NUL separators keep ("ab", "c") and ("a", "bc") apart; the version tag lets the scheme change later.
  const input = encoder.encode(`mbauth/DeviceId/v1\u0000${installId}\u0000${normaliseUserName(userName)}`)
  const digest = yield* Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", input))
  return DeviceId.make(base64Url(new Uint8Array(digest).subarray(0, 24)))
})

/**
 * The DeviceId for `userName` on this install: {@link installId} then {@link derive}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const forUser: (
  userName: string,
  options?: { readonly key?: string | undefined } | undefined
) => Effect.Effect<DeviceId, DeviceIdError, KeyValueStore.KeyValueStore> = Effect.fn("DeviceId.forUser")(
  function*(userName, options) {
    return yield* derive(yield* installId(options), userName)
  }
)

/**
 * Whether `value` is usable as a DeviceId as is (URL-safe characters, 1 to 256 of them).
 *
 * @since 0.1.0
 * @category guards
 */
export const isDeviceId: (value: string) => value is DeviceId = Schema.is(DeviceId)

/**
 * Logs a warning when `deviceId` signs in `userName` to a server where `otherUsers` already signed
 * in with the same DeviceId, and says whether it warned. Jellyfin revokes earlier tokens only of the
 * same (DeviceId, user), but it keeps one session entry per (Client, DeviceId), so the users' sessions
 * keep replacing each other, and signing the device out in the dashboard (`DELETE /Devices?id=`)
 * revokes every user's token on it (Jellyfin `SessionManager.GetSessionKey`,
 * `DevicesController.DeleteDevice`). Give each user their own DeviceId ({@link forUser}).
 *
 * @since 0.1.0
 * @category diagnostics
 */
export const warnIfShared = (options: {
  readonly serverName: string
  readonly deviceId: string
  readonly userName: string
  readonly otherUsers: ReadonlyArray<string>
}): Effect.Effect<boolean> =>
  options.otherUsers.length === 0 ? Effect.succeed(false) : Effect.as(
    Effect.logWarning(
      `DeviceId ${options.deviceId} now signs ${options.userName} in to ${options.serverName}, where ` +
        `${options.otherUsers.join(", ")} signed in with it too: the server keeps one session per DeviceId, ` +
        `and signing that device out revokes every user's token on it. Give each user their own DeviceId ` +
        `(DeviceId.forUser, or ConnectionManager's installId).`
    ),
    true
  )
