/**
 * The fake Jellyfin answers cross-origin requests as a Jellyfin with its default CorsHosts (`*`)
 * does, so a web page on another origin can sign in to it; the fake Emby sends no CORS headers.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { makeFakeEmby, makeFakeJellyfin } from "@mbauth/testing"

const origin = "http://127.0.0.1:9"

const preflight = (url: string) =>
  Effect.promise(() =>
    fetch(url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type"
      }
    })
  )

describe("CORS", () => {
  it.scoped("a preflight gets 204 with any origin and the requested method and headers", () =>
    Effect.gen(function*() {
      const jellyfin = yield* makeFakeJellyfin({ profile: "jellyfin-12" })
      const response = yield* preflight(`${jellyfin.apiUrl}/Users/AuthenticateByName`)
      assert.strictEqual(response.status, 204)
      assert.strictEqual(response.headers.get("access-control-allow-origin"), "*")
      assert.strictEqual(response.headers.get("access-control-allow-methods"), "POST")
      assert.strictEqual(response.headers.get("access-control-allow-headers"), "authorization,content-type")
      assert.isNull(response.headers.get("access-control-allow-credentials"))
    }))

  it.scoped("a cross-origin request is answered with Access-Control-Allow-Origin: *; a same-origin one without", () =>
    Effect.gen(function*() {
      const jellyfin = yield* makeFakeJellyfin({ profile: "jellyfin-12" })
      const cross = yield* Effect.promise(() => fetch(`${jellyfin.apiUrl}/System/Info/Public`, { headers: { origin } }))
      assert.strictEqual(cross.status, 200)
      assert.strictEqual(cross.headers.get("access-control-allow-origin"), "*")
      const plain = yield* Effect.promise(() => fetch(`${jellyfin.apiUrl}/System/Info/Public`))
      assert.isNull(plain.headers.get("access-control-allow-origin"))
    }))

  it.scoped("the fake Emby sends no CORS headers", () =>
    Effect.gen(function*() {
      const emby = yield* makeFakeEmby({})
      const response = yield* preflight(`${emby.apiUrl}/Users/AuthenticateByName`)
      assert.isNull(response.headers.get("access-control-allow-origin"))
    }))
})
