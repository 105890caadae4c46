/**
 * Row 7: the connection race, measured with the real `ConnectionManager` on real sockets.
 *
 * A saved server has a local address that accepts connections and never answers (a machine on the
 * LAN that is gone while its port is still forwarded) and a working remote one. Each sample
 * builds a fresh manager over a memory credential store holding that server and a user's token,
 * and times `connectToServer` until it reports `SignedIn` (probe `/System/Info/Public`, check the
 * ServerId, validate the token with `/Users/Me`). The peer is the same with only the remote
 * address saved. The manager's default strategy (a race with staggered starts) is what is
 * measured; `Strategy.Sequential` gives the comparison with trying one address after another.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ClientInfo from "@mbauth/core/ClientInfo"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createServer as createHttpServer, type Server as HttpServer } from "node:http"
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net"
import { type Budget, pairMeasured, type Row, row, stats } from "./Harness.js"
import * as Inputs from "./Inputs.js"

const serverId = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
const userId = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

const client: ClientInfo.ClientInfo = {
  client: "mbauth-bench",
  version: "0.1.0",
  device: "bench",
  deviceId: "bench-device-1"
}

/**
 * The stagger of the manager's default strategy: what a dead first address may cost.
 *
 * @since 0.1.0
 * @category constants
 */
export const staggerMillis: number = ConnectionManager.defaultStrategy._tag === "Race"
  ? Duration.toMillis(Duration.decode(ConnectionManager.defaultStrategy.stagger))
  : 0

// Real clients wait 8–20 s for a dead address before the next (ECS, EJAVA, JFJS16). The
// one-after-another comparison uses 1 s so the suite stays short; its time is that timeout
// plus the remote's, whatever the timeout is.
const sequentialTimeoutMillis = 1000

export const saved = (addresses: { readonly local?: string; readonly remote: string }): CredentialStore.Credentials => ({
  servers: {
    [serverId]: {
      id: serverId,
      name: "bench",
      addresses,
      lastUserId: userId,
      users: { [userId]: { id: userId, name: "bench", accessToken: Redacted.make(Inputs.token) } }
    }
  }
})

// One sample: a fresh manager and store (so no sample learns the winning address from the last
// one), then `connectToServer` timed on its own. A fresh HTTP client too: no connection is reused.
export const timeConnect = (credentials: CredentialStore.Credentials, options: ConnectionManager.Options) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const store = yield* CredentialStore.makeMemory(credentials)
      const manager = yield* ConnectionManager.make({ discovery: false, ...options }).pipe(
        Effect.provideService(CredentialStore.CredentialStore, store),
        Effect.provideService(ClientInfo.ClientInfo, client)
      )
      const start = performance.now()
      const state = yield* manager.connectToServer(serverId)
      const elapsed = performance.now() - start
      if (state._tag !== "SignedIn") throw new Error(`bench: connectToServer ended in ${state._tag}`)
      return elapsed
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
  )

const listen = <S extends HttpServer | TcpServer>(server: S): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })

const close = (server: HttpServer | TcpServer): Promise<void> => new Promise((resolve) => server.close(() => resolve()))

/**
 * The two servers: `remote` answers like a Jellyfin server (after `latencyMillis`, to stand for a
 * wide-area round trip); `local` accepts every connection and never sends a byte (a machine on
 * the LAN that is gone while its port forwarding is not).
 *
 * @since 0.1.0
 * @category servers
 */
export const startServers = async (latencyMillis = 0) => {
  const hung = new Set<Socket>()
  let accepted = 0
  const local = createTcpServer((socket) => {
    accepted++
    hung.add(socket)
    socket.on("close", () => hung.delete(socket))
    socket.on("error", () => hung.delete(socket))
  })
  const remote = createHttpServer((request, response) => {
    const json = (status: number, body: unknown) => {
      const send = () => {
        response.writeHead(status, { "content-type": "application/json" })
        response.end(JSON.stringify(body))
      }
      if (latencyMillis > 0) setTimeout(send, latencyMillis)
      else send()
    }
    const path = new URL(request.url ?? "/", "http://x").pathname.toLowerCase()
    // The token may come in any transport the signing profile uses.
    const token = Object.values(request.headers).some((v) => String(v).includes(Inputs.token))
    if (path === "/system/info/public") {
      json(200, { Id: serverId, ServerName: "bench", Version: "10.11.2", ProductName: "Jellyfin Server" })
    } else if (path === "/users/me") {
      if (token) json(200, { Id: userId, Name: "bench" })
      else json(401, {})
    } else json(404, {})
  })
  const [localUrl, remoteUrl] = await Promise.all([listen(local), listen(remote)])
  return {
    localUrl,
    remoteUrl,
    accepted: () => accepted,
    /** Connections the client has not closed yet. */
    open: () => hung.size,
    close: async () => {
      for (const socket of hung) socket.destroy()
      remote.closeAllConnections()
      await Promise.all([close(local), close(remote)])
    }
  }
}

const raceRow = async (budget: Budget, id: string, latencyMillis: number): Promise<Row> => {
  const servers = await startServers(latencyMillis)
  try {
    const both = saved({ local: servers.localUrl, remote: servers.remoteUrl })
    const remoteOnly = saved({ remote: servers.remoteUrl })
    const warmup = Math.min(3, budget.raceRuns)
    const acceptedBefore = servers.accepted()
    const paired = await pairMeasured(() => timeConnect(both, {}), () => timeConnect(remoteOnly, {}), budget.raceRuns, warmup)
    // Proof that the dead address was really in the race: every race connected to it.
    if (servers.accepted() - acceptedBefore < budget.raceRuns + warmup) {
      throw new Error("bench: the manager never tried the dead local address")
    }
    const sequential: Array<number> = []
    for (let i = 0; i < Math.min(3, budget.raceRuns); i++) {
      sequential.push(
        await timeConnect(both, {
          strategy: ConnectionManager.Strategy.Sequential(),
          probeTimeout: Duration.millis(sequentialTimeoutMillis)
        })
      )
    }
    const raced = stats(paired.ours).median
    const remote = latencyMillis === 0 ? "remote on loopback" : `remote answering after ${latencyMillis} ms`
    return row({
      id,
      what: `connection race to SignedIn: dead local + ${remote} (stagger ${staggerMillis} ms)`,
      ours: `ConnectionManager − ${staggerMillis} ms`,
      peer: "remote only",
      unit: "ms",
      direction: "cost",
      target: 1.2,
      paired: { ours: paired.ours.map((t) => t - staggerMillis), peer: paired.peer },
      note: `ConnectionManager.connectToServer, default strategy: ${raced.toFixed(1)} ms to SignedIn with the dead ` +
        `local address; Strategy.Sequential with a ${sequentialTimeoutMillis} ms probe timeout: ` +
        `${stats(sequential).median.toFixed(0)} ms (real sequential clients wait 8–20 s)`,
      details: {
        staggerMillis,
        latencyMillis,
        connectMillis: stats(paired.ours),
        sequential: { timeoutMillis: sequentialTimeoutMillis, millis: stats(sequential) }
      }
    })
  } finally {
    await servers.close()
  }
}

/**
 * Row 7 twice: the remote on loopback (the setting: every millisecond of the race's own
 * overhead shows) and answering after 50 ms (a wide-area round trip, what a remote address is).
 *
 * @since 0.1.0
 * @category rows
 */
export const raceRows = async (budget: Budget): Promise<ReadonlyArray<Row>> => [
  await raceRow(budget, "7a", 0),
  await raceRow(budget, "7b", 50)
]
