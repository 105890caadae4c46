import { describe, expect, it } from "@effect/vitest"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

describe("workspace", () => {
  it("resolves the pinned Effect 3 line, one copy for every package", () => {
    const effect = require("effect/package.json") as { version: string }
    const viaPlatform = createRequire(require.resolve("@effect/platform/package.json"))("effect/package.json") as {
      version: string
    }
    expect(effect.version.split(".")[0]).toBe("3")
    expect(viaPlatform.version).toBe(effect.version)
  })
})
