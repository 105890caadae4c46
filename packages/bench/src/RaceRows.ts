/**
 * Row 7: the connection race, measured on real sockets with a stand-in for the connection manager.
 *
 * The ConnectionManager (issue 5) has not landed, so `connect` below is a minimal stand-in that
 * does what the issue prescribes and nothing more: probe every saved address's
 * `/System/Info/Public` concurrently with staggered starts (local at 0 ms, remote at 200 ms, as
 * the Emby web client does), take the first good answer, interrupt the rest, then validate the
 * saved token (`/Users/Me`) and report `SignedIn`. What it measures is real: Effect's
 * `HttpClient` over node:http against two servers on 127.0.0.1, one of which accepts connections
 * and never answers — the cost of racing past a dead address, including interrupting the request
 * stuck on it. When the ConnectionManager lands, `connect` is the one function to replace.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import { createServer as createHttpServer, type Server as HttpServer } from "node:http"
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net"
import { type Budget, pairAsync, type Row, row, stats } from "./Harness.js"
import * as Inputs from "./Inputs.js"

/**
 * One saved address and when its probe starts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Candidate {
  readonly url: string
  readonly delayMillis: number
}

/**
 * The stagger between the local and the remote probe (Emby web: Local 0 ms, Manual 100 ms,
 * Remote 200 ms; its current bundle: 200 ms per position).
 *
 * @since 0.1.0
 * @category constants
 */
export const staggerMillis = 200

// Real clients wait 8–20 s for a dead address before the next (ECS, EJAVA, JFJS16). The
// one-after-another comparison uses 1 s so the suite stays short; its time is that timeout
// plus the remote's, whatever the timeout is.
const sequentialTimeoutMillis = 1000
const probeTimeoutMillis = 20_000

const authorization = `MediaBrowser Client="mbauth-bench", Device="bench", DeviceId="bench-1", Version="0.1.0", Token="${Inputs.token}"`

const getJson = (url: string, timeoutMillis: number) =>
  Effect.gen(function*() {
    const client = HttpClient.filterStatusOk(yield* HttpClient.HttpClient)
    const response = yield* client.get(url, { headers: { authorization } })
    return yield* response.json
  }).pipe(Effect.timeout(timeoutMillis))

const probe = (candidate: Candidate, timeoutMillis: number) => {
  const request = Effect.as(getJson(`${candidate.url}/System/Info/Public`, timeoutMillis), candidate.url)
  return candidate.delayMillis > 0 ? Effect.delay(request, candidate.delayMillis) : request
}

const signIn = (url: string) => Effect.as(getJson(`${url}/Users/Me`, probeTimeoutMillis), "SignedIn" as const)

/**
 * The stand-in: race the candidates, then validate the saved token on the winner.
 *
 * @since 0.1.0
 * @category stand-in
 */
export const connect = (candidates: ReadonlyArray<Candidate>) =>
  Effect.flatMap(Effect.raceAll(candidates.map((c) => probe(c, probeTimeoutMillis))), signIn)

/**
 * What clients did before racing: try each address in turn, each with its own timeout.
 *
 * @since 0.1.0
 * @category stand-in
 */
export const connectSequentially = (candidates: ReadonlyArray<Candidate>, timeoutMillis: number) =>
  Effect.flatMap(Effect.firstSuccessOf(candidates.map((c) => probe({ ...c, delayMillis: 0 }, timeoutMillis))), signIn)

const listen = <S extends HttpServer | TcpServer>(server: S): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })

const close = (server: HttpServer | TcpServer): Promise<void> => new Promise((resolve) => server.close(() => resolve()))

/**
 * The two servers: `remote` answers like a Jellyfin server; `local` accepts every connection and
 * never sends a byte (a machine on the LAN that is gone while its port forwarding is not).
 *
 * @since 0.1.0
 * @category servers
 */
export const startServers = async () => {
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
      response.writeHead(status, { "content-type": "application/json" })
      response.end(JSON.stringify(body))
    }
    if (request.url === "/System/Info/Public") {
      json(200, { Id: "f0e1d2c3b4a5968778695a4b3c2d1e0f", ServerName: "bench", Version: "10.11.0", ProductName: "Jellyfin Server" })
    } else if (request.url === "/Users/Me" && request.headers.authorization?.includes(Inputs.token)) {
      json(200, { Id: "user-1", Name: "bench" })
    } else json(401, {})
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

const runConnect = (effect: Effect.Effect<"SignedIn", unknown, HttpClient.HttpClient>) =>
  // A fresh agent per run (closed at the end): no connection outlives its sample.
  Effect.runPromise(Effect.provide(effect, NodeHttpClient.layer)).then((state) => {
    if (state !== "SignedIn") throw new Error(`bench: the race ended in ${String(state)}`)
  })

/**
 * @since 0.1.0
 * @category rows
 */
export const raceRows = async (budget: Budget): Promise<ReadonlyArray<Row>> => {
  const servers = await startServers()
  try {
    const both: ReadonlyArray<Candidate> = [
      { url: servers.localUrl, delayMillis: 0 },
      { url: servers.remoteUrl, delayMillis: staggerMillis }
    ]
    const remoteOnly: ReadonlyArray<Candidate> = [{ url: servers.remoteUrl, delayMillis: 0 }]
    const acceptedBefore = servers.accepted()
    const paired = await pairAsync(
      () => runConnect(connect(both)),
      () => runConnect(connect(remoteOnly)),
      budget.raceRuns,
      Math.min(3, budget.raceRuns)
    )
    const races = budget.raceRuns + Math.min(3, budget.raceRuns)
    if (servers.accepted() - acceptedBefore < races) {
      throw new Error("bench: the race never reached the dead local address")
    }
    const sequentialRuns = Math.min(3, budget.raceRuns)
    const sequential: Array<number> = []
    for (let i = 0; i < sequentialRuns; i++) {
      const start = performance.now()
      await runConnect(connectSequentially(both, sequentialTimeoutMillis))
      sequential.push(performance.now() - start)
    }
    const raced = stats(paired.ours).median
    return [
      row({
        id: "7",
        what: `connection race (stand-in): dead local + working remote, stagger ${staggerMillis} ms`,
        ours: `race − ${staggerMillis} ms`,
        peer: "remote only",
        unit: "ms",
        direction: "cost",
        target: 1.2,
        paired: { ours: paired.ours.map((t) => t - staggerMillis), peer: paired.peer },
        note: `stand-in for the unlanded ConnectionManager (real sockets, Effect HttpClient); ` +
          `race ${raced.toFixed(1)} ms to SignedIn vs ${stats(sequential).median.toFixed(0)} ms one after another ` +
          `with a ${sequentialTimeoutMillis} ms local timeout (real clients wait 8–20 s)`,
        details: {
          standIn: true,
          staggerMillis,
          raceMillis: stats(paired.ours),
          sequential: { timeoutMillis: sequentialTimeoutMillis, millis: stats(sequential) }
        }
      })
    ]
  } finally {
    await servers.close()
  }
}
