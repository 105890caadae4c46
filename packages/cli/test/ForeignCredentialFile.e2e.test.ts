// A credentials.json that mbauth did not write is never read as "no saved servers" and replaced:
// the built executable refuses it, names the file and says what to do, and leaves every byte.
import { assert, describe, it } from "@effect/vitest"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildOnce, mbauth } from "./utils/bin.js"
import { startSandbox, stopSandbox } from "./utils/sandboxProcess.js"

buildOnce()

const foreignDocuments = [
  `{"version":1,"aws_access_key":"AKIAcanary","profiles":{}}\n`,
  `{"profiles":{"default":{"region":"canary"}}}`,
  `["canary"]`
]

describe("a foreign credentials.json (built executable)", () => {
  it("server add and server list refuse it and leave it byte-identical", async () => {
    const { child, services } = await startSandbox()
    try {
      const jellyfin = services.find((service) => service.kind === "Jellyfin")!
      for (const content of foreignDocuments) {
        const configDir = mkdtempSync(join(tmpdir(), "mbauth-foreign-"))
        const file = join(configDir, "credentials.json")
        writeFileSync(file, content, { mode: 0o600 })
        const before = readFileSync(file)
        const env = { MBAUTH_CONFIG_DIR: configDir }
        for (const args of [["server", "add", jellyfin.url], ["server", "list"]]) {
          const r = mbauth(args, { env })
          assert.strictEqual(r.status, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`)
          assert.include(r.stderr, file)
          assert.include(r.stderr, "is not an mbauth credential file")
          assert.include(r.stderr, "move it away")
          assert.notInclude(r.stderr + r.stdout, "canary")
          assert.isTrue(readFileSync(file).equals(before), `${args.join(" ")} changed ${content}`)
        }
      }
    } finally {
      await stopSandbox(child)
    }
  }, 60_000)
})
