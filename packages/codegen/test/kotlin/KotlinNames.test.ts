// The Kotlin target's naming rules (README "Kotlin"): enum entries in PascalCase, collisions and
// keywords resolved, the package from the spec's name, string literals that Kotlin reads back.
import { describe, expect, it } from "@effect/vitest"
import { identifiers, str } from "../../src/internal/emitKotlin.js"

const decapitalize = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

describe("kotlin names", () => {
  it("enum entries: PascalCase words, an underscore only between digits", () => {
    expect(identifiers(["jellyfin-10.11", "jellyfin-12", "X-Emby-Token", "canonical", "jellyfin-sdk", "9lives"])).toEqual([
      "Jellyfin10_11",
      "Jellyfin12",
      "XEmbyToken",
      "Canonical",
      "JellyfinSdk",
      "_9lives"
    ])
  })

  it("a later name that would collide keeps its own spelling, then gets a number", () => {
    expect(identifiers(["ApiKey", "api_key", "api-key", "Api_key"])).toEqual(["ApiKey", "Api_key", "Api_key2", "Api_key3"])
  })

  it("properties: lower camel case, keywords in backticks", () => {
    expect(identifiers(["DeviceId", "Token", "token", "In", "Val"], decapitalize)).toEqual(["deviceId", "token", "token2", "`in`", "`val`"])
  })

  it("string literals escape quotes, backslashes, templates and control characters", () => {
    expect(str("a \"b\" \\ $x\n\t\u0000\u007f é 📺")).toBe("\"a \\\"b\\\" \\\\ \\$x\\n\\t\\u0000\\u007f é 📺\"")
  })
})
