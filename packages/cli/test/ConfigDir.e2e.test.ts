// Where the config folder is, for the built executable run in a folder of its own: an empty
// MBAUTH_CONFIG_DIR or --config-dir '' means "not set" (before the fix, tokens were written into
// the current folder), and a relative folder is resolved against the current one and said once.
import { assert, describe, it } from "@effect/vitest"
import { makeSandbox } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildOnce } from "./utils/bin.js"
import { runPiped } from "./utils/piped.js"

buildOnce()

const folders = () => {
  const root = mkdtempSync(join(tmpdir(), "mbauth-config-dir-"))
  const cwd = join(root, "cwd")
  const home = join(root, "home")
  mkdirSync(cwd)
  mkdirSync(home)
  return { cwd, home, defaultFile: join(home, ".config", "mbauth", "credentials.json") }
}

describe("the config folder", () => {
  for (
    const [name, globals, env] of [
      ["MBAUTH_CONFIG_DIR= (empty)", [], { MBAUTH_CONFIG_DIR: "" }],
      ["--config-dir ''", ["--config-dir", ""], {}],
      ["--config-dir=", ["--config-dir="], {}]
    ] as const
  ) {
    it.live(`${name} is the default folder, never the current one`, () =>
      Effect.scoped(Effect.gen(function*() {
        const sandbox = yield* makeSandbox({ discovery: false })
        const { cwd, defaultFile, home } = folders()
        const r = yield* Effect.promise(() =>
          runPiped([...globals, "server", "add", sandbox.jellyfin.url], { cwd, env: { HOME: home, ...env } })
        )
        assert.strictEqual(r.status, 0, r.stderr)
        assert.deepStrictEqual(readdirSync(cwd), [])
        assert.isTrue(existsSync(defaultFile))
      })))
  }

  it.live("a relative --config-dir is resolved against the current folder and printed once", () =>
    Effect.scoped(Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ discovery: false })
      const { cwd, home } = folders()
      const r = yield* Effect.promise(() =>
        runPiped(["--config-dir", "mine", "server", "add", sandbox.jellyfin.url], { cwd, env: { HOME: home } })
      )
      assert.strictEqual(r.status, 0, r.stderr)
      assert.isTrue(existsSync(join(cwd, "mine", "credentials.json")))
      assert.strictEqual(r.stderr.split(`config folder: ${join(cwd, "mine")}\n`).length - 1, 1, r.stderr)
    })))
})
