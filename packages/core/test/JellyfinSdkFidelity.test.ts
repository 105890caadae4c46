/**
 * Fidelity check: the real @jellyfin/sdk (over axios) signs in to the fake Jellyfin servers, reads
 * /Users/Me and signs out, exactly as it would against a real server.
 */
import * as SessionApi from "@jellyfin/sdk/lib/utils/api/session-api.js"
import { makeFakeJellyfin } from "@mbauth/testing"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { authenticateUserByName, getCurrentUser, Jellyfin, type SdkApi } from "./utils/jellyfinSdk.js"
import { SECRETS, USERS } from "./utils/mediaServer.js"

const logout = (api: SdkApi): Promise<{ readonly status: number }> =>
  (SessionApi as unknown as { getSessionApi(api: SdkApi): { reportSessionEnded(): Promise<{ status: number }> } })
    .getSessionApi(api).reportSessionEnded()

/** The SDK's rejection status (axios errors carry `response.status`). */
const statusOf = (promise: Promise<unknown>) =>
  Effect.promise(() =>
    promise.then(
      () => 200,
      (error: { readonly response?: { readonly status: number } }) => error.response?.status ?? -1
    )
  )

describe("@jellyfin/sdk against the fake Jellyfin", () => {
  it.scoped("signs in, reads /Users/Me and signs out on 10.11 and on 12 (legacy off)", () =>
    Effect.gen(function*() {
      for (const profile of ["jellyfin-10.11", "jellyfin-12"] as const) {
        const fake = yield* makeFakeJellyfin({ profile, users: USERS })
        const jellyfin = new Jellyfin({
          clientInfo: { name: "SDK fidelity", version: "1.0.0" },
          deviceInfo: { name: "vitest", id: `sdk-${profile}` }
        })
        const api = jellyfin.createApi(fake.url)
        const auth = yield* Effect.promise(() => authenticateUserByName(api, "alice", SECRETS.alice))
        assert.strictEqual(auth.status, 200)
        const token = auth.data.AccessToken!
        assert.match(token, /^[0-9a-f]{32}$/)
        assert.deepStrictEqual(yield* fake.tokenOwner(token), Option.some((yield* fake.users)[0]!.id))
        const [device] = yield* fake.devices
        // The SDK's Client/Device values are percent-encoded on the wire and decoded by the server.
        assert.deepInclude(device, { client: "SDK fidelity", device: "vitest", deviceId: `sdk-${profile}`, version: "1.0.0" })

        api.update({ accessToken: token })
        const me = yield* Effect.promise(() => getCurrentUser(api))
        assert.strictEqual(me.status, 200)
        assert.strictEqual(me.data.Name, "alice")
        assert.strictEqual(me.data.ServerId, fake.id)

        assert.strictEqual((yield* Effect.promise(() => logout(api))).status, 204)
        assert.isTrue(Option.isNone(yield* fake.tokenOwner(token)))
        assert.strictEqual(yield* statusOf(getCurrentUser(api)), 401)
        // A wrong password is 401 to the SDK too.
        api.update({ accessToken: "" })
        assert.strictEqual(yield* statusOf(authenticateUserByName(api, "alice", "wrong")), 401)
      }
    }))
})
