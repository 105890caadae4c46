// CredentialStore.exclusive on the file store: holders of one key run one after the other even
// across store instances (as across processes: only the lock file is shared), other keys do not
// wait, the store's own writes work inside, and an unreadable store is refused before `use` runs.
import * as NodeContext from "@effect/platform-node/NodeContext"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mbauth-store-exclusive-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

let counter = 0
const freshFile = () => {
  const dir = path.join(root, `case-${++counter}`)
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, "credentials.json")
}

const open = (file: string) => CredentialStore.makeFile({ path: file }).pipe(Effect.provide(NodeContext.layer))

describe("CredentialStore.exclusive (file)", () => {
  it.live("serialises holders of one key across store instances; other keys run alongside", () =>
    Effect.gen(function*() {
      const file = freshFile()
      const [a, b] = [yield* open(file), yield* open(file)]
      const log: Array<string> = []
      const hold = (store: CredentialStore.Service, key: string, name: string) =>
        store.exclusive(key)(
          Effect.gen(function*() {
            log.push(`${name} in`)
            yield* Effect.sleep("60 millis")
            yield* store.upsertServer({ id: name, name })
            log.push(`${name} out`)
          })
        )
      yield* Effect.all([hold(a, "server s device alice", "a1"), hold(b, "server s device alice", "b1")], { concurrency: 2 })
      assert.deepStrictEqual([log[0]!.endsWith("in"), log[1]!.endsWith("out"), log[2]!.endsWith("in")], [true, true, true])
      assert.strictEqual(log[0]!.split(" ")[0], log[1]!.split(" ")[0])

      log.length = 0
      yield* Effect.all([hold(a, "key one", "a2"), hold(b, "key two", "b2")], { concurrency: 2 })
      assert.deepStrictEqual(log.slice(0, 2).map((l) => l.endsWith("in")), [true, true], "different keys overlap")
      assert.deepStrictEqual((yield* a.listServers).map((s) => s.id).sort(), ["a1", "a2", "b1", "b2"])
    }))

  it.live("refuses before `use` runs when the store cannot be read", () =>
    Effect.gen(function*() {
      const file = freshFile()
      fs.writeFileSync(file, "not json")
      const store = yield* open(file)
      let ran = false
      const result = yield* Effect.either(store.exclusive("k")(Effect.sync(() => (ran = true))))
      assert.isFalse(ran)
      assert.strictEqual(result._tag, "Left")
    }))
})
