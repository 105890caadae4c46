/**
 * The README tour runs as written: its ```ts blocks are the files in test/readme/ (typechecked by
 * tsc with the rest of the tests), and this test runs them.
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeSandbox } from "@mbauth/testing"
import { readdirSync, readFileSync } from "node:fs"
import { buildHeader } from "./readme/1-build-a-header.js"
import { parseHeader } from "./readme/2-parse-a-header.js"
import { getMe } from "./readme/3-sign-an-http-client.js"
import { router, Tokens } from "./readme/4-protect-a-route.js"
import { severalServers } from "./readme/5-several-servers.js"
import { baseUrl, layerServing } from "./utils/server.js"

const readmeDir = new URL("./readme/", import.meta.url)

describe("README", () => {
  it("its ts blocks are exactly the files in test/readme, in order", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    const blocks = Array.from(readme.matchAll(/```ts\n([\s\S]*?)```/g), (match) => match[1])
    const files = readdirSync(readmeDir).filter((name) => name.endsWith(".ts")).sort()
    assert.deepStrictEqual(blocks, files.map((name) => readFileSync(new URL(name, readmeDir), "utf8")))
    assert.strictEqual(files.length, 5)
  })

  it.effect("1. builds the header shown", () =>
    Effect.gen(function*() {
      assert.strictEqual(
        yield* buildHeader,
        "MediaBrowser Token=\"0123456789abcdef0123456789abcdef\", Client=\"My%20App\", Version=\"1.0.0\", " +
          "DeviceId=\"dev-1\", Device=\"Living%20room%20TV\""
      )
    }))

  it.effect("2. parses and renders the error shown", () =>
    Effect.gen(function*() {
      const { message, params } = yield* parseHeader
      assert.strictEqual(params.Client, "Jellyfin Web")
      assert.strictEqual(params.Device, "Firefox")
      assert.strictEqual(String(params.Token), "<redacted>")
      const source = readFileSync(new URL("2-parse-a-header.ts", readmeDir), "utf8")
      // The comment lines under `// error.message:` are the message, line by line.
      const shown = source.split("// error.message:\n")[1]!.split("\n").filter((line) => line.trim().startsWith("//"))
        .map((line) => line.replace(/^\s*\/\/ /, ""))
      assert.strictEqual(message, shown.join("\n"))
    }))
})

layer(layerServing(router).pipe(Layer.provide(Tokens), Layer.merge(KeyValueStore.layerMemory)), { excludeTestServices: true })(
  "README 3 + 4: the signed client against the protected route",
  (it) => {
    it.effect("a signed request with a known token reaches the handler; an unknown token gets 401", () =>
      Effect.gen(function*() {
        const server = yield* baseUrl
        const me = yield* getMe(server, "alice", Redacted.make("0123456789abcdef0123456789abcdef"))
        assert.deepStrictEqual(me, { principal: { _tag: "User", userId: "alice" }, client: "My App" })
        const error = yield* Effect.flip(getMe(server, "alice", Redacted.make("ffffffffffffffffffffffffffffffff")))
        assert.strictEqual(error._tag, "ResponseError")
        if (error._tag === "ResponseError") assert.strictEqual(error.response.status, 401)
      }))
  }
)

describe("README 5: several servers", () => {
  it.scoped("signs in to the Connect-linked Emby and a Jellyfin at once, one client each", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const users = yield* severalServers(sandbox.connect.serviceUrl, sandbox.jellyfin12.url)
      assert.deepStrictEqual(users, ["alice", "bob"])
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)), { timeout: 60_000 })
})
