/**
 * The examples of docs/credential-store.md, compiled and run. Keep the two in step.
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

// --- docs: example ---------------------------------------------------------------------------
import { CredentialStore } from "@mbauth/core/CredentialStore"
import * as Credentials from "@mbauth/core/CredentialStore"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

const rememberSignIn = Effect.gen(function*() {
  const store = yield* CredentialStore
  // After a sign-in: merge what the server told us, and the user with their token.
  yield* store.upsertServer({
    id: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    name: "Living room",
    product: "Jellyfin",
    version: "10.10.7",
    addresses: { local: "http://192.168.1.20:8096", manual: "https://media.example.org" },
    lastConnectionMode: "Manual",
    lastAccessed: yield* DateTime.now
  })
  yield* store.setUser("a1b2c3d4e5f60718293a4b5c6d7e8f90", {
    id: "4f1c…",
    name: "alice",
    accessToken: Redacted.make("token-from-AuthenticateByName")
  })
  // Later: list what is saved, most recently used first. Tokens stay Redacted.
  const servers = yield* store.listServers
  return servers.map((server) => `${server.name ?? server.id} (${Object.keys(server.users).length} user(s))`)
})

// Sign-out of one user: clearing a token is always an explicit operation.
const signOut = (serverId: string, userId: string) =>
  Effect.flatMap(CredentialStore, (store) => store.clearUserToken(serverId, userId))

// An atomic read-modify-write (under the file lock for the file layer).
const forgetUnusedServers = Effect.flatMap(CredentialStore, (store) =>
  store.update((credentials) => ({
    ...credentials,
    servers: Object.fromEntries(
      Object.entries(credentials.servers).filter(([, server]) => Object.keys(server.users).length > 0)
    )
  })))

// The CLI's store: ~/.config/mbauth/credentials.json (or $XDG_CONFIG_HOME, or $MBAUTH_CONFIG_DIR).
export const CliStore = Credentials.layerFileConfig().pipe(Layer.provide(NodeContext.layer))
// A browser app: localStorage through @effect/platform's KeyValueStore.
export const BrowserStore = Credentials.layerKeyValueStore({ key: "my-app/credentials" }).pipe(
  Layer.provide(KeyValueStore.layerStorage(() => globalThis.localStorage))
)
// --- end of docs example ---------------------------------------------------------------------

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mbauth-store-example-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe("docs/credential-store.md examples", () => {
  it.live("run against a file store", () =>
    Effect.gen(function*() {
      const lines = yield* rememberSignIn
      assert.deepStrictEqual(lines, ["Living room (1 user(s))"])
      assert.isTrue(yield* signOut("a1b2c3d4e5f60718293a4b5c6d7e8f90", "4f1c…"))
      yield* Effect.flatMap(CredentialStore, (store) => store.upsertServer({ id: "unused" }))
      const after = yield* forgetUnusedServers
      assert.deepStrictEqual(Object.keys(after.servers), ["a1b2c3d4e5f60718293a4b5c6d7e8f90"])
      assert.isTrue(Option.isSome(Credentials.findServer(after, "A1B2C3D4E5F60718293A4B5C6D7E8F90")))
    }).pipe(
      Effect.provide(Credentials.layerFile({ path: path.join(root, "credentials.json") })),
      Effect.provide(NodeContext.layer)
    ))
})
