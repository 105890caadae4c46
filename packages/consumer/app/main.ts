// Runs the core README's examples with plain node against a sandbox started from the installed
// @mbauth/testing, and prints what they returned as JSON.
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as MediaServer from "@mbauth/core/MediaServer"
import { makeSandbox, SANDBOX_DEMO } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { buildHeader } from "./examples/core/README-1.js"
import { parseHeader } from "./examples/core/README-2.js"
import { getMe } from "./examples/core/README-3.js"
import { severalServers } from "./examples/core/README-5.js"

const program = Effect.gen(function*() {
  const sandbox = yield* makeSandbox()
  const alice = SANDBOX_DEMO.users.alice
  const server = yield* MediaServer.make({
    address: sandbox.jellyfin12.url,
    profile: "jellyfin-12",
    clientInfo: { client: "Consumer test", version: "1.0.0", device: "node", deviceId: "consumer-node-1" }
  })
  const signIn = yield* server.authenticateByName({ username: alice.name, password: Redacted.make(alice.password) })
  const parsed = yield* parseHeader
  return {
    header: yield* buildHeader,
    parsed: { client: parsed.params.Client, device: parsed.params.Device, message: parsed.message },
    me: yield* getMe(sandbox.jellyfin12.url, alice.name, signIn.accessToken),
    severalServers: yield* severalServers(sandbox.connect.serviceUrl, sandbox.jellyfin12.url)
  }
}).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici), Effect.provide(KeyValueStore.layerMemory))

Effect.runPromise(program).then(
  (result) => console.log(JSON.stringify(result)),
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  }
)
