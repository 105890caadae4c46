// `mbauth server discover` against a discovery responder on 127.0.0.1 (never a broadcast: every
// run names the responder with --address), in-process, with a sandbox server behind the answer.
import { assert, describe, it } from "@effect/vitest"
import { makeDiscoveryResponder, makeSandboxPersonas } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run } from "./utils/cli.js"

// A Jellyfin 12 sandbox server, and a responder that answers for it reporting `localhost` (as
// servers often do) and for an Emby server that reports nothing usable.
const setUp = Effect.gen(function*() {
  const sandbox = yield* makeSandboxPersonas({ personas: [{ persona: "jellyfin-12.0" }] })
  const jellyfin = sandbox.servers[0]!.server
  const port = new URL(jellyfin.url).port
  const responder = yield* makeDiscoveryResponder({
    port: 0,
    entries: [
      { product: "Jellyfin", address: `http://localhost:${port}`, id: jellyfin.id, name: jellyfin.serverName },
      { product: "Emby", address: "http://172.17.0.2:8096", id: "c3d4e5f60718293a4b5c6d7e8f90a1b2", name: "Den Emby" }
    ]
  })
  const configDir = mkdtempSync(join(tmpdir(), "mbauth-discover-"))
  const cli = (args: ReadonlyArray<string>) => run(args, { env: { MBAUTH_CONFIG_DIR: configDir } })
  return { jellyfin, port, responder, configDir, cli, address: `127.0.0.1:${responder.port}` }
})

describe("mbauth server discover", () => {
  it.scopedLive("lists what answered at the address the answer came from, with what it reported", () =>
    Effect.gen(function*() {
      const { address, cli, jellyfin, port, responder } = yield* setUp
      const listed = yield* cli(["server", "discover", "--address", address])
      assert.strictEqual(listed.exitCode, 0, listed.stderr)
      assert.include(
        listed.stdout,
        `${jellyfin.serverName}  Jellyfin  http://127.0.0.1:${port}  ${jellyfin.id}\n  answered from 127.0.0.1, reported http://localhost:${port}\n`
      )
      assert.include(listed.stdout, "Den Emby  Emby  http://127.0.0.1:8096  c3d4e5f60718293a4b5c6d7e8f90a1b2\n")
      assert.include(listed.stderr, "mbauth server discover --add NAME")
      // Both questions were asked, at the responder only.
      const questions = (yield* responder.queries).map((q) => q.text).sort()
      assert.deepStrictEqual(questions, ["who is EmbyServer?", "who is JellyfinServer?"])
      const json = yield* cli(["server", "discover", "--address", address, "--json"])
      assert.strictEqual(json.exitCode, 0, json.stderr)
      const lines = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))
      assert.deepInclude(lines, {
        serverId: jellyfin.id,
        name: jellyfin.serverName,
        product: "Jellyfin",
        address: `http://127.0.0.1:${port}`,
        reportedAddress: `http://localhost:${port}`,
        from: "127.0.0.1"
      })
      assert.strictEqual(lines.length, 2)
    }))

  it.scopedLive("--add saves the server that answered with that name (or ServerId), at the address that answered", () =>
    Effect.gen(function*() {
      const { address, cli, configDir, jellyfin, port } = yield* setUp
      const added = yield* cli(["server", "discover", "--address", address, "--add", jellyfin.serverName.toUpperCase()])
      assert.strictEqual(added.exitCode, 0, added.stderr)
      assert.include(added.stdout, `found ${jellyfin.serverName} at http://127.0.0.1:${port}`)
      const saved = JSON.parse(readFileSync(join(configDir, "credentials.json"), "utf8"))
      assert.strictEqual(saved.servers[jellyfin.id].addresses.manual, `http://127.0.0.1:${port}`)
      const unknown = yield* cli(["server", "discover", "--address", address, "--add", "Nowhere"])
      assert.strictEqual(unknown.exitCode, 1)
      assert.include(unknown.stderr, `error: no server that answered is called "Nowhere"`)
      assert.include(unknown.stderr, `${jellyfin.serverName} (${jellyfin.id})`)
    }))

  it.scopedLive("nothing answering is a note, not an error; a bad --address or --timeout is a usage error", () =>
    Effect.gen(function*() {
      const { cli, responder } = yield* setUp
      yield* responder.setEntries([])
      const silent = yield* cli(["server", "discover", "--address", `127.0.0.1:${responder.port}`, "--timeout", "0.2"])
      assert.strictEqual(silent.exitCode, 0, silent.stderr)
      assert.strictEqual(silent.stdout, "")
      assert.include(silent.stderr, `no server answered within 0.2 s (127.0.0.1:${responder.port})`)
      const badAddress = yield* cli(["server", "discover", "--address", "127.0.0.1:99999"])
      assert.strictEqual(badAddress.exitCode, 2)
      assert.include(badAddress.stderr, `--address "127.0.0.1:99999" is not HOST[:PORT]`)
      const badTimeout = yield* cli(["server", "discover", "--address", `127.0.0.1:${responder.port}`, "--timeout", "0"])
      assert.strictEqual(badTimeout.exitCode, 2)
      assert.include(badTimeout.stderr, "--timeout must be a number of seconds from 0.1 to 30")
    }))
})
