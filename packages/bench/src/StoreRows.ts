/**
 * Row 8: the file credential store, load + save. 8a: with 20 servers against a careful
 * hand-written store (read, `JSON.parse`, one change, `JSON.stringify`, temp file, fsync, rename,
 * directory fsync).
 * 8b: growth, the cost per server at 1,000 servers against the cost per server at 20 (linear
 * means at most 2×).
 *
 * Every sample opens a new store (`CredentialStore.makeFile`, which does no I/O, built outside
 * the timed region), as one CLI command or an application start does, and really writes: each
 * changes one server's name.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { copyFile, mkdtemp, open, readFile, rename, rm, stat } from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { type Budget, pairMeasured, type Row, row, wallTime } from "./Harness.js"

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0")

/**
 * A store as a household-to-power-user would have it, scaled to `count` servers: names, product,
 * version, local and remote addresses, a last access date, one or two users with tokens, every
 * third server linked to Emby Connect with an AccessKey.
 *
 * @since 0.1.0
 * @category inputs
 */
export const manyServers = (count: number): CredentialStore.Credentials => {
  const servers: Record<string, CredentialStore.Server> = {}
  const epoch = Date.UTC(2025, 0, 1)
  for (let i = 0; i < count; i++) {
    const id = `${hex(i, 8)}c0ffee${hex(i * 7919, 18)}`
    const users: Record<string, CredentialStore.ServerUser> = {}
    for (let u = 0; u < 1 + (i % 2); u++) {
      const userId = `${hex(i, 8)}${hex(u, 4)}beef${hex(i * 31 + u, 16)}`
      users[userId] = { id: userId, name: `user ${u} of ${i}`, accessToken: Redacted.make(`${hex(i * 104729 + u, 32)}`) }
    }
    servers[id] = {
      id,
      name: `Server ${i}`,
      product: i % 3 === 0 ? "Emby" : "Jellyfin",
      version: i % 3 === 0 ? "4.8.10.0" : "10.10.7",
      addresses: { local: `http://192.168.${i >> 8}.${i & 255}:8096`, remote: `https://server${i}.example.org` },
      lastConnectionMode: i % 2 === 0 ? "Local" : "Remote",
      lastAccessed: DateTime.unsafeMake(epoch + i * 60_000),
      lastUserId: Object.keys(users)[0]!,
      users,
      ...(i % 3 === 0 ? { connect: { serverId: `${i}`, accessKey: Redacted.make(hex(i * 15485863, 32)) } } : {})
    }
  }
  return { servers }
}

const provide = <A, E>(effect: Effect.Effect<A, E, NodeContext.NodeContext>) =>
  Effect.runPromise(Effect.provide(effect, NodeContext.layer))

/**
 * The servers of the store compared with the durable baseline (8a) and the small end of the
 * growth row (8b).
 *
 * @since 0.1.0
 * @category inputs
 */
export const smallStore = 20

// A store file of `count` servers, and a cold load + save on it: a store opened for the sample
// reads the whole store (checking it is all there), then saves one changed server.
const makeStore = async (directory: string, name: string, count: number) => {
  const file = path.join(directory, `${name}.json`)
  const initial = manyServers(count)
  const store = await provide(CredentialStore.makeFile({ path: file }))
  await Effect.runPromise(store.update(() => initial))
  const ids = Object.keys(initial.servers)
  let k = 0
  const loadAndSave = async (): Promise<number> => {
    const cold = await provide(CredentialStore.makeFile({ path: file }))
    k++
    const change = { id: ids[(k * 7) % ids.length]!, name: `Server renamed ${k}` }
    return wallTime(() =>
      Effect.runPromise(Effect.gen(function*() {
        const loaded = yield* cold.get
        if (Object.keys(loaded.servers).length !== count) throw new Error("bench: the store lost servers")
        yield* cold.upsertServer(change)
      }))
    )()
  }
  return { file, ids, loadAndSave, bytes: (await stat(file)).size }
}

// What a careful hand-written store does: read, parse, change, stringify, temp file, fsync, rename,
// and an fsync of the directory: the file's own fsync does not make its new directory entry durable
// (the Linux fsync(2) manual), so without it a power cut can undo the rename. No lock, no validation.
const durableBaseline = (file: string, ids: ReadonlyArray<string>) => {
  let k = 0
  return async () => {
    k++
    const document = JSON.parse(await readFile(file, "utf8")) as { servers: Record<string, { name?: string }> }
    document.servers[ids[(k * 7) % ids.length]!]!.name = `Server renamed ${k}`
    const temp = `${file}.tmp`
    const handle = await open(temp, "w", 0o600)
    try {
      await handle.writeFile(JSON.stringify(document, null, 2) + "\n")
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
    const directory = await open(path.dirname(file), "r")
    try {
      await directory.sync()
    } finally {
      await directory.close()
    }
  }
}

/**
 * Rows 8a and 8b.
 *
 * @since 0.1.0
 * @category rows
 */
export const storeRows = async (budget: Budget): Promise<ReadonlyArray<Row>> => {
  const directory = await mkdtemp(path.join(os.tmpdir(), "mbauth-bench-"))
  try {
    const small = await makeStore(directory, "small", smallStore)
    const large = await makeStore(directory, "large", budget.storeGrowthServers)
    // The baseline starts from a copy of the small store's file.
    const baselineFile = path.join(directory, "baseline.json")
    await copyFile(small.file, baselineFile)
    const warmup = Math.min(3, budget.storeRuns)
    const durable = await pairMeasured(small.loadAndSave, wallTime(durableBaseline(baselineFile, small.ids)), budget.storeRuns, warmup)
    const growth = await pairMeasured(
      async () => (await large.loadAndSave()) * 1000 / budget.storeGrowthServers,
      async () => (await small.loadAndSave()) * 1000 / smallStore,
      budget.storeRuns,
      warmup
    )
    const size = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
    return [
      row({
        id: "8a",
        what: `credential store load + save, ${smallStore} servers (${size(small.bytes)})`,
        ours: "a new CredentialStore file: get + upsertServer",
        peer: "readFile + JSON.parse + JSON.stringify + temp file, fsync, rename, directory fsync",
        unit: "ms",
        direction: "cost",
        target: 3,
        paired: durable,
        note: "a store opened for each sample (one CLI command, an application start); it also takes the lock"
      }),
      row({
        id: "8b",
        what: `credential store growth: cost per server at ${budget.storeGrowthServers} servers vs ${smallStore}`,
        ours: `${budget.storeGrowthServers} servers (${size(large.bytes)})`,
        peer: `${smallStore} servers`,
        unit: "µs",
        direction: "cost",
        target: 2,
        paired: growth,
        note: "the same cold load + save, per server: linear growth is 1× (fixed costs, the lock and fsyncs, make it less)"
      })
    ]
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
