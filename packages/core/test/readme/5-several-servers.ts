import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ClientInfo from "@mbauth/core/ClientInfo"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"

const Me = Schema.Struct({ Name: Schema.String })

// Two servers signed in at once, each kept by its ServerId: an Emby server found through Emby
// Connect (its AccessKey is exchanged for a token on every connect) and a Jellyfin server signed in
// with a name and password. Nothing here names a "current" server.
export const severalServers = (connectUrl: string, jellyfinAddress: string) =>
  Effect.gen(function*() {
    const manager = yield* ConnectionManager.ConnectionManager
    yield* manager.connectSignIn({ nameOrEmail: "alice", password: Redacted.make("alice-connect-password") })
    const emby = yield* manager.connect() // the Connect-linked server, signed in by the exchange

    const jellyfin = yield* manager.connectToAddress(jellyfinAddress) // ServerSignIn: nobody yet
    const jellyfinId = jellyfin._tag === "ServerSignIn" ? jellyfin.connection.serverId : ""
    yield* manager.signIn(jellyfinId, { username: "bob", password: Redacted.make("bob-password") })

    // One signed HttpClient per server (and user); relative URLs go to that server's API.
    const whoAmI = (serverId: string) =>
      manager.client(serverId).pipe(
        Effect.flatMap((client) => client.get("Users/Me")),
        Effect.flatMap(HttpClientResponse.schemaBodyJson(Me)),
        Effect.map((me) => me.Name)
      )
    const embyId = emby._tag === "SignedIn" ? emby.connection.serverId : ""
    return yield* Effect.all([whoAmI(embyId), whoAmI(jellyfinId)])
  }).pipe(
    Effect.provide(ConnectionManager.layer()),
    Effect.provide(Layer.mergeAll(
      CredentialStore.layerMemory(), // or layerFileConfig(): ~/.config/mbauth/credentials.json, 0600
      ClientInfo.layer({ client: "My App", version: "1.0.0", device: "Laptop", deviceId: "my-app-laptop-1" }),
      EmbyConnect.layer({ appName: "My App", appVersion: "1.0.0", baseUrl: connectUrl })
    ))
  )
