// Round trips and interop on the generated MediaBrowser module.
import { getAuthorizationHeader } from "@jellyfin/sdk/lib/utils/authentication.js"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"

// Any well-formed string: every code point, astral ones included.
const value = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string())
const params: fc.Arbitrary<Auth.Params> = fc.record(
  { Token: value, Client: value, Version: value, DeviceId: value, Device: value, UserId: value },
  { requiredKeys: [] }
)

const sdkHeader = (p: { Client: string; Device: string; DeviceId: string; Version: string; Token: string }) =>
  getAuthorizationHeader({ name: p.Client, version: p.Version }, { name: p.Device, id: p.DeviceId }, p.Token)

describe("round trips", () => {
  it.prop("parse(format(p)) = p, in both modes", [params], ([p]) => {
    const header = Auth.format(p)
    if (header._tag === "Err") return false
    for (const mode of ["compat", "strict"] as const) {
      const parsed = Auth.parse(header.value, { mode })
      if (parsed._tag === "Err") return false
      expect(parsed.value.params).toEqual(p)
    }
    return true
  })

  it.prop("canonical and jellyfin-sdk output is printable ASCII only (no CR, LF, NUL)", [params], ([p]) => {
    for (const style of ["canonical", "jellyfin-sdk"] as const) {
      const header = Auth.format(p, { style })
      if (header._tag === "Err") return false
      expect(header.value).toMatch(/^[\x20-\x7e]*$/)
    }
    return true
  })

  it.prop("strict accepts everything either style emits", [params, fc.constantFrom("MediaBrowser", "Emby") as fc.Arbitrary<Auth.SchemeName>], ([p, scheme]) => {
    for (const style of ["canonical", "jellyfin-sdk"] as const) {
      const header = Auth.format(p, { style, scheme })
      if (header._tag === "Err") return false
      expect(Auth.parse(header.value, { mode: "strict" })._tag).toBe("Ok")
    }
    return true
  })
})

describe("@jellyfin/sdk interop", () => {
  const fixed = [
    { Client: "sdk-test-client", Device: "device-name", DeviceId: "device-id", Version: "0.0.0", Token: "" },
    { Client: "sdk-test-client", Device: "device-name", DeviceId: "device-id", Version: "0.0.0", Token: "TESTTOKEN" },
    { Client: "Jellyfin Web", Device: "Firefox", DeviceId: "TW96aWxsYS81LjA=", Version: "10.11.0", Token: "0381cf931f9e42d79fb9c89f729167df" },
    { Client: "a\"b,c=d+e%f", Device: "Living room 📺 é", DeviceId: "!~*'()-_.", Version: "", Token: " " },
    { Client: "", Device: "\r\n\u0000", DeviceId: "\u0085\ufeff", Version: "1.0 (beta)", Token: "+" }
  ]

  it("parses the SDK's header to the same params in both modes, and formats it byte for byte", () => {
    for (const p of fixed) {
      const header = sdkHeader(p)
      for (const mode of ["compat", "strict"] as const) {
        const parsed = Auth.parse(header, { mode })
        expect(parsed._tag === "Ok" ? parsed.value.params : parsed.error).toEqual(p)
      }
      expect(Auth.format(p, { style: "jellyfin-sdk" })).toEqual({ _tag: "Ok", value: header })
    }
  })

  it.prop(
    "agrees with the SDK on arbitrary values",
    [fc.record({ Client: value, Device: value, DeviceId: value, Version: value, Token: value })],
    ([p]) => {
      const header = sdkHeader(p)
      expect(Auth.format(p, { style: "jellyfin-sdk" })).toEqual({ _tag: "Ok", value: header })
      for (const mode of ["compat", "strict"] as const) {
        const parsed = Auth.parse(header, { mode })
        expect(parsed._tag === "Ok" ? parsed.value.params : parsed.error).toEqual(p)
      }
    }
  )

  it("writes \"\" for absent values, as the SDK does for its default token", () => {
    expect(Auth.format({ Client: "c", Device: "d", DeviceId: "i", Version: "v" }, { style: "jellyfin-sdk" })).toEqual({
      _tag: "Ok",
      value: sdkHeader({ Client: "c", Device: "d", DeviceId: "i", Version: "v", Token: "" })
    })
  })

  it("returns an error where the SDK throws (lone surrogate)", () => {
    const p = { Client: "c", Device: "tv \udc00", DeviceId: "i", Version: "v", Token: "" }
    expect(() => sdkHeader(p)).toThrow(URIError)
    expect(Auth.format(p, { style: "jellyfin-sdk" })).toMatchObject({ _tag: "Err", error: { code: "UnencodableValue", parameter: "Device" } })
  })
})
