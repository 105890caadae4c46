/**
 * Reaching a server over real sockets on 127.0.0.1: a dead local address (accepts, never answers)
 * beside a working remote one, ServerId checks, and server health.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import { Fault, refusedUrl } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { blackHole, jellyfinInfo, servePublicInfo } from "./utils/publicInfo.js"

const ID = "4f1e9bc0a5d34b3c8d0e2f1a6b7c8d9e"
const OTHER = "0000000000000000000000000000beef"

// A probe timeout no test could wait for: a race that waited for the dead address would hang.
const FOREVER = Duration.hours(1)

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("ConnectionManager.reach over real sockets", (it) => {
  it.scoped("a local address that accepts and never answers does not hold up a working remote one", () =>
    Effect.gen(function*() {
      const dead = yield* blackHole
      const remote = yield* servePublicInfo(() => jellyfinInfo(ID))
      const reached = yield* ConnectionManager.reach([
        { address: dead.url, mode: "Local" },
        { address: remote.url, mode: "Remote" }
      ], { expectedId: ID, timeout: FOREVER })
      assert.strictEqual(reached.candidate.mode, "Remote")
      assert.strictEqual(reached.info.id, ID)
      assert.strictEqual(dead.accepted.count, 1)
    }))

  it.scoped("the winner does not wait for the dead address's probe, which is still interrupted: its request is aborted", () =>
    Effect.gen(function*() {
      const dead = yield* blackHole
      // The remote answers only once the dead address has the local probe's request.
      const remote = yield* servePublicInfo(() => jellyfinInfo(ID), dead.requested)
      const reached = yield* ConnectionManager.reach([
        { address: dead.url, mode: "Local" },
        { address: remote.url, mode: "Remote" }
      ], { expectedId: ID, timeout: FOREVER })
      assert.strictEqual(reached.candidate.mode, "Remote")
      // Interrupted in the background: the client closes the connection that carried the request.
      yield* dead.requestClosed.pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "request never aborted" }))
    }))

  it.scoped("a hung HTTP answer (the Hang fault) beside a working server, both orders", () =>
    Effect.gen(function*() {
      const hung = yield* servePublicInfo(() => jellyfinInfo(ID))
      yield* hung.faults.set(Fault.Hang())
      const working = yield* servePublicInfo(() => jellyfinInfo(ID))
      for (const order of [[hung, working], [working, hung]]) {
        const reached = yield* ConnectionManager.reach(
          order.map((s, i) => ({ address: s.url, mode: i === 0 ? "Local" as const : "Remote" as const })),
          { expectedId: ID, timeout: FOREVER }
        )
        assert.strictEqual(reached.candidate.address, working.url)
      }
    }))

  it.scoped("an address that now answers as another server is skipped, and reported as a ServerIdMismatch", () =>
    Effect.gen(function*() {
      const impostor = yield* servePublicInfo(() => jellyfinInfo(OTHER))
      const real = yield* servePublicInfo(() => jellyfinInfo(ID))
      yield* real.faults.set(Fault.Latency({ delay: "200 millis" }))
      const reached = yield* ConnectionManager.reach([
        { address: impostor.url, mode: "Local" },
        { address: real.url, mode: "Remote" }
      ], { expectedId: ID, timeout: FOREVER })
      assert.strictEqual(reached.candidate.address, real.url)
      assert.deepStrictEqual(reached.failedAttempts.map((a) => [a.mode, a.error._tag]), [["Local", "ServerIdMismatch"]])

      const attempts = yield* Effect.flip(
        ConnectionManager.reach([{ address: impostor.url, mode: "Manual" }], { expectedId: ID })
      )
      assert.strictEqual(attempts.length, 1)
      const error = attempts[0]!.error
      assert.strictEqual(error._tag, "ServerIdMismatch")
      if (error._tag === "ServerIdMismatch") {
        assert.strictEqual(error.expected, ID)
        assert.strictEqual(error.actual, OTHER)
        assert.include(error.message, "saved credentials were kept")
      }
    }))

  it.scoped("fails with every attempt when nothing answers; the sequential strategy reaches the same server", () =>
    Effect.gen(function*() {
      const refused = yield* refusedUrl
      const dead = yield* blackHole
      const attempts = yield* Effect.flip(ConnectionManager.reach([
        { address: refused, mode: "Local" },
        { address: dead.url, mode: "Remote" }
      ], { timeout: "200 millis" }))
      assert.deepStrictEqual(attempts.map((a) => [a.address, a.error._tag]), [
        [refused, "ServerUnreachable"],
        [dead.url, "Timeout"]
      ])

      const working = yield* servePublicInfo(() => jellyfinInfo(ID))
      const reached = yield* ConnectionManager.reach([
        { address: refused, mode: "Local" },
        { address: working.url, mode: "Remote" }
      ], { strategy: ConnectionManager.Strategy.Sequential() })
      assert.strictEqual(reached.candidate.address, working.url)
      assert.deepStrictEqual(reached.failedAttempts.map((a) => a.address), [refused])
    }))
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("ConnectionManager.checkHealth", (it) => {
  it.scoped("reports score and issues per address, as data", () =>
    Effect.gen(function*() {
      const great = yield* servePublicInfo(() => jellyfinInfo(ID))
      const outdated = yield* servePublicInfo(() => jellyfinInfo(ID, { Version: "10.10.7" }))
      const tooOld = yield* servePublicInfo(() => jellyfinInfo(ID, { Version: "10.8.13" }))
      const oldEmby = yield* servePublicInfo(() => ({ Id: ID, Version: "4.6.7.0", ServerName: "E", ProductName: "Emby Server" }))
      const stranger = yield* servePublicInfo(() => jellyfinInfo(ID, { ProductName: "Plex Media Server" }))
      const refused = yield* refusedUrl
      const reports = yield* ConnectionManager.checkHealth(
        [great.url, outdated.url, tooOld.url, oldEmby.url, stranger.url, refused],
        { slowAfter: "1 hour" }
      )
      assert.deepStrictEqual(reports.map((r) => [r.address, r.score, r.issues.map((i) => i._tag)]), [
        [great.url, "Great", []],
        [outdated.url, "Good", ["OutdatedVersion"]],
        [tooOld.url, "Ok", ["UnsupportedVersion"]],
        [oldEmby.url, "Ok", ["UnsupportedVersion"]],
        [stranger.url, "Bad", ["UnknownProduct"]],
        [refused, "Bad", ["Unreachable"]]
      ])
      assert.strictEqual(reports[0]!.profile, "jellyfin-10.11")
      assert.strictEqual(reports[1]!.profile, "jellyfin-10.10")
      assert.strictEqual(reports[2]!.profile, undefined)
      const unsupported = reports[3]!.issues[0]!
      assert.deepStrictEqual(
        unsupported._tag === "UnsupportedVersion" ? [unsupported.version, unsupported.minimumVersion] : [],
        ["4.6.7.0", "4.7"]
      )
      assert.strictEqual(ConnectionManager.bestServer(reports)?.address, great.url)
      assert.strictEqual(ConnectionManager.bestServer(reports.slice(1))?.address, outdated.url)
      assert.strictEqual(ConnectionManager.bestServer(reports.slice(4)), undefined)
    }))

  it.scoped("flags slow answers and timeouts", () =>
    Effect.gen(function*() {
      const slow = yield* servePublicInfo(() => jellyfinInfo(ID))
      yield* slow.faults.set(Fault.Latency({ delay: "100 millis" }))
      const dead = yield* blackHole
      const [slowReport, deadReport] = yield* ConnectionManager.checkHealth([slow.url, dead.url], {
        slowAfter: "20 millis",
        // Far above the 100 ms latency, so a loaded machine cannot turn "slow" into "timed out".
        timeout: "2 seconds"
      })
      assert.strictEqual(slowReport!.score, "Good")
      assert.deepStrictEqual(slowReport!.issues.map((i) => i._tag), ["SlowResponse"])
      assert.strictEqual(deadReport!.score, "Bad")
      assert.deepStrictEqual(deadReport!.issues.map((i) => i._tag), ["Unreachable", "SlowResponse"])
      const unreachable = deadReport!.issues[0]!
      assert.strictEqual(unreachable._tag === "Unreachable" ? unreachable.error._tag : "", "Timeout")
    }))

  it.scoped("probes the candidates of a typed address", () =>
    Effect.gen(function*() {
      const server = yield* servePublicInfo(() => jellyfinInfo(ID))
      // http://127.0.0.1:<port> has scheme and port: one candidate.
      const reports = yield* ConnectionManager.checkHealth(server.url)
      assert.deepStrictEqual(reports.map((r) => r.score), ["Great"])
      assert.deepStrictEqual(yield* ConnectionManager.checkHealth("ftp://nope"), [])
    }))
})

