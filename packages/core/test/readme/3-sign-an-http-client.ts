import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as ClientInfo from "@mbauth/core/ClientInfo"
import * as DeviceId from "@mbauth/core/DeviceId"
import * as RequestSigning from "@mbauth/core/RequestSigning"

export const getMe = (server: string, userName: string, token: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    // One DeviceId per (install, user); the install id lives in your KeyValueStore
    const deviceId = yield* DeviceId.forUser(userName)
    const clientInfo = yield* ClientInfo.make({ client: "My App", version: "1.0.0", device: "Laptop", deviceId })

    // Every request gets `Authorization: MediaBrowser Token="…", Client="My%20App", …`
    const signed = yield* RequestSigning.signClient(yield* HttpClient.HttpClient, {
      profile: "jellyfin-12",
      clientInfo,
      token
    })
    const response = yield* signed.pipe(HttpClient.filterStatusOk).get(`${server}/Users/Me`)
    return yield* response.json
  })
