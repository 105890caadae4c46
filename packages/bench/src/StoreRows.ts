/**
 * Row 8: the file credential store with 1,000 servers, load + save, against doing the same with
 * bare `JSON.parse`, `JSON.stringify` and a file write — cold (a store opened per sample: 8a, 8b)
 * and warm (one long-lived store: 8c, 8d).
 *
 * Both sides work on the same bytes in the same directory: the baseline file starts as a copy of
 * the store's file and both make the same change per sample (rename one server), so each sample
 * really writes.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { copyFile, mkdtemp, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { type Budget, pairAsync, pairMeasured, type Row, row, wallTime } from "./Harness.js"

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

// The operation both store rows time: read the whole store (checking it is all there), then save
// one changed server.
const loadAndSave = (store: CredentialStore.Service, change: CredentialStore.ServerUpdate, servers: number) =>
  Effect.runPromise(Effect.gen(function*() {
    const loaded = yield* store.get
    if (Object.keys(loaded.servers).length !== servers) throw new Error("bench: the store lost servers")
    yield* store.upsertServer(change)
  }))

/**
 * Rows 8a–8d. 8a and 8b are the row: a *cold* load + save, what one CLI command or an
 * application start pays — a store opened for the sample (`CredentialStore.makeFile`, which does
 * no I/O, built outside the timed region) reads, decodes, locks, encodes and writes inside it.
 * 8c and 8d time the same operation on one long-lived store, which can reuse what it decoded and
 * wrote in the previous sample (a long-running application or server).
 *
 * @since 0.1.0
 * @category rows
 */
export const storeRows = async (budget: Budget): Promise<ReadonlyArray<Row>> => {
  const directory = await mkdtemp(path.join(os.tmpdir(), "mbauth-bench-"))
  try {
    // The cold and warm stores use their own files, so the warm store's memory is never made stale
    // by the cold rows' writes (it would still be correct, just not warm).
    const coldFile = path.join(directory, "cold.json")
    const warmFile = path.join(directory, "warm.json")
    const warmStore = await provide(CredentialStore.makeFile({ path: warmFile }))
    const initial = manyServers(budget.storeServers)
    await Effect.runPromise(warmStore.update(() => initial))
    const ids = Object.keys(initial.servers)
    const plainFile = path.join(directory, "plain.json")
    const durableFile = path.join(directory, "durable.json")
    for (const copy of [coldFile, plainFile, durableFile]) await copyFile(warmFile, copy)
    const bytes = (await stat(warmFile)).size

    let k = 0
    const nextChange = () => {
      k++
      return { id: ids[(k * 7) % ids.length]!, name: `Server renamed ${k}` }
    }
    const cold = async () => {
      const store = await provide(CredentialStore.makeFile({ path: coldFile }))
      const change = nextChange()
      return wallTime(() => loadAndSave(store, change, ids.length))()
    }
    const warm = () => loadAndSave(warmStore, nextChange(), ids.length)
    const loadAndChange = async (file: string) => {
      const change = nextChange()
      const document = JSON.parse(await readFile(file, "utf8")) as { servers: Record<string, { name?: string }> }
      document.servers[change.id]!.name = change.name
      return JSON.stringify(document, null, 2) + "\n"
    }
    const plain = async () => {
      await writeFile(plainFile, await loadAndChange(plainFile))
    }
    // What a careful hand-written store does: temp file, fsync, rename (no lock, no validation).
    const durable = async () => {
      const text = await loadAndChange(durableFile)
      const temp = `${durableFile}.tmp`
      const handle = await open(temp, "w", 0o600)
      try {
        await handle.writeFile(text)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, durableFile)
    }
    const warmup = Math.min(3, budget.storeRuns)
    const size = `${budget.storeServers} servers, ${(bytes / 1024).toFixed(0)} KiB`
    const coldPlain = await pairMeasured(cold, wallTime(plain), budget.storeRuns, warmup)
    const coldDurable = await pairMeasured(cold, wallTime(durable), budget.storeRuns, warmup)
    const warmPlain = await pairAsync(warm, plain, budget.storeRuns, warmup)
    const warmDurable = await pairAsync(warm, durable, budget.storeRuns, warmup)
    const common = { unit: "ms", direction: "cost", target: 3 } as const
    const durableNote = "a stricter baseline than the issue's: it pays for durability as the store does"
    return [
      row({
        ...common,
        id: "8a",
        what: `credential store load + save, cold (${size})`,
        ours: "a new CredentialStore file: get + upsertServer",
        peer: "readFile + JSON.parse + JSON.stringify + writeFile",
        paired: coldPlain,
        note: "cold: a store opened for each sample (one CLI command, an application start)"
      }),
      row({
        ...common,
        id: "8b",
        what: `credential store load + save, cold (${size}), durable baseline`,
        ours: "a new CredentialStore file: get + upsertServer",
        peer: "the same + temp file, fsync, rename",
        paired: coldDurable,
        note: `8b is ${durableNote}`
      }),
      row({
        ...common,
        id: "8c",
        what: `credential store load + save, warm (${size})`,
        ours: "one long-lived CredentialStore file: get + upsertServer",
        peer: "readFile + JSON.parse + JSON.stringify + writeFile",
        paired: warmPlain,
        note: "warm: one store for every sample (a long-running application), which reuses what it decoded and wrote"
      }),
      row({
        ...common,
        id: "8d",
        what: `credential store load + save, warm (${size}), durable baseline`,
        ours: "one long-lived CredentialStore file: get + upsertServer",
        peer: "the same + temp file, fsync, rename",
        paired: warmDurable,
        note: `8d is ${durableNote}`
      })
    ]
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
