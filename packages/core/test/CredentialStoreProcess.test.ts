/**
 * Crash safety and concurrency with real, separate processes: the worker in
 * fixtures/credentialStoreWorker.ts is bundled once by esbuild and run with `node`.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { afterAll, assert, beforeAll, describe, expect, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mbauth-store-proc-"))
const worker = path.join(root, "worker.mjs")
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

beforeAll(() => {
  // The project's own bundler: sources through the "@mbauth/source" condition, one ESM file.
  const bundled = spawnSync(process.execPath, [
    fileURLToPath(new URL("../../../scripts/bundle.mjs", import.meta.url)),
    fileURLToPath(new URL("./fixtures/credentialStoreWorker.ts", import.meta.url)),
    worker
  ], { encoding: "utf8" })
  if (bundled.status !== 0) throw new Error(`bundling the worker failed: ${bundled.stderr}`)
  // Another user (see the read-only test) must be able to run it.
  fs.chmodSync(root, 0o755)
  fs.chmodSync(worker, 0o644)
}, 60_000)

let counter = 0
const freshDir = () => {
  const dir = path.join(root, `case-${++counter}`)
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 })
  return dir
}

interface Running {
  readonly child: ChildProcess
  readonly stdout: () => string
  /** Resolves when stdout has a line equal to `line`. */
  readonly line: (line: string) => Promise<void>
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

const start = (args: ReadonlyArray<string>, options?: { uid?: number; gid?: number }): Running => {
  const child = spawn(process.execPath, [worker, ...args], { stdio: ["ignore", "pipe", "pipe"], ...options })
  let stdout = ""
  let stderr = ""
  const waiters: Array<{ line: string; resolve: () => void }> = []
  const check = () => {
    const lines = stdout.split("\n")
    for (const waiter of [...waiters]) {
      if (lines.includes(waiter.line)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString()
    check()
  })
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }))
  )
  return {
    child,
    stdout: () => stdout,
    line: (line) =>
      Promise.race([
        new Promise<void>((resolve) => {
          waiters.push({ line, resolve })
          check()
        }),
        exit.then((e) => Promise.reject(new Error(`worker exited (${e.code ?? e.signal}) before "${line}": ${e.stderr}`)))
      ]),
    exit
  }
}

const readStore = (file: string) =>
  Effect.runPromise(
    Effect.flatMap(CredentialStore.makeFile({ path: file }), (store) => store.get).pipe(Effect.provide(NodeContext.layer))
  )

const writeStore = (file: string, f: (store: CredentialStore.Service) => Effect.Effect<unknown, unknown>) =>
  Effect.runPromise(Effect.flatMap(CredentialStore.makeFile({ path: file }), f).pipe(Effect.provide(NodeContext.layer)))

const listing = (dir: string) => fs.readdirSync(dir).sort()

// Starting 20 Node processes is CPU-bound; on a busy 2-core machine it can take many seconds.
const slow = 90_000

describe("CredentialStore file, across processes", () => {
  it("20 processes writing to one file at once lose nothing", async () => {
    const dir = freshDir()
    const file = path.join(dir, "credentials.json")
    const go = path.join(dir, "go")
    const writers = Array.from({ length: 20 }, (_, i) => start(["add", file, String(i), go]))
    // Release them together, once all are loaded.
    await Promise.all(writers.map((w) => w.line("waiting")))
    fs.writeFileSync(go, "")
    const exits = await Promise.all(writers.map((w) => w.exit))
    for (const exit of exits) assert.strictEqual(exit.code, 0, exit.stderr)

    const credentials = await readStore(file)
    assert.strictEqual(Object.keys(credentials.servers).length, 20)
    for (let i = 0; i < 20; i++) {
      const server = credentials.servers[`server-${i}`]
      assert.isDefined(server, `server-${i}`)
      assert.strictEqual(server!.name, `Server ${i}`)
      assert.strictEqual(Redacted.value(server!.users[`alice-${i}`]!.accessToken!), `token-a-${i}`)
      assert.strictEqual(Redacted.value(server!.users[`bob-${i}`]!.accessToken!), `token-b-${i}`)
    }
    fs.rmSync(go)
    assert.deepStrictEqual(listing(dir), ["credentials.json"])
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
  }, slow)

  it("a writer SIGKILLed at random points always leaves the old or the new complete file", async () => {
    const dir = freshDir()
    const file = path.join(dir, "credentials.json")
    const count = 150
    let generation = 0
    for (let round = 0; round < 6; round++) {
      const churn = start(["churn", file, String(count)])
      await churn.line("ready")
      // A save takes some tens of ms (writes are slowed down in the worker); this spans a few.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 120))
      churn.child.kill("SIGKILL")
      const exit = await churn.exit
      assert.strictEqual(exit.signal, "SIGKILL")

      // Decodes (so it is complete), and every server carries one generation (so it is one save).
      const credentials = await readStore(file)
      const generations = new Set(Object.values(credentials.servers).map((s) => s.version))
      assert.strictEqual(Object.keys(credentials.servers).length, count)
      assert.strictEqual(generations.size, 1)
      const now = Number([...generations][0])
      assert.isAtLeast(now, generation + 1, "each worker saved at least once")
      generation = now
      assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
    }
    // The next writer breaks the dead writer's lock and sweeps its temp files.
    await writeStore(file, (store) => store.upsertServer({ id: "last" }))
    assert.deepStrictEqual(listing(dir), ["credentials.json"])
  }, slow)

  it("a crash between write and rename leaves the old file", async () => {
    const dir = freshDir()
    const file = path.join(dir, "credentials.json")
    await writeStore(file, (store) => store.setUser("old-server", { id: "u", accessToken: Redacted.make("old-token") }))
    const before = fs.readFileSync(file)

    const crash = start(["crash-before-rename", file])
    const exit = await crash.exit
    assert.strictEqual(exit.signal, "SIGKILL")
    assert.isTrue(fs.readFileSync(file).equals(before))
    // It died holding the lock, with its complete new file written but not renamed.
    const temps = listing(dir).filter((name) => name.startsWith(".credentials.json.write."))
    assert.strictEqual(temps.length, 1)
    expect(fs.readFileSync(path.join(dir, temps[0]!), "utf8")).toContain("never-saved")
    assert.isTrue(fs.existsSync(`${file}.lock`))

    const credentials = await readStore(file)
    assert.deepStrictEqual(Object.keys(credentials.servers), ["old-server"])
    await writeStore(file, (store) => store.upsertServer({ id: "next" }))
    assert.deepStrictEqual(listing(dir), ["credentials.json"])
    assert.deepStrictEqual(Object.keys((await readStore(file)).servers).sort(), ["next", "old-server"])
  })

  it("a read-only directory gives CredentialFileUnwritable and leaves no partial or temp file", async () => {
    const dir = freshDir()
    const file = path.join(dir, "credentials.json")
    await writeStore(file, (store) => store.setUser("s", { id: "u", accessToken: Redacted.make("secret-token-3b9") }))
    const before = fs.readFileSync(file)
    // root ignores directory permissions, so as root the writer runs as `nobody`, owning the file.
    const asRoot = process.getuid?.() === 0
    const ids = asRoot ? { uid: 65534, gid: 65534 } : {}
    if (asRoot) fs.chownSync(file, 65534, 65534)
    fs.chmodSync(dir, 0o555)
    try {
      const writer = start(["try-add", file], ids)
      const exit = await writer.exit
      assert.strictEqual(exit.code, 0, exit.stderr)
      const outcome = JSON.parse(writer.stdout())
      assert.deepStrictEqual(outcome.read, { ok: true })
      assert.strictEqual(outcome.write.tag, "CredentialFileUnwritable")
      expect(outcome.write.message).toContain(file)
      expect(outcome.write.message).toMatch(/PermissionDenied/)
      expect(outcome.write.json).not.toMatch(/secret-token/)
      assert.isTrue(fs.readFileSync(file).equals(before))
      assert.deepStrictEqual(listing(dir), ["credentials.json"])
    } finally {
      fs.chmodSync(dir, 0o755)
    }
  })
})
