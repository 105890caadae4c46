/**
 * `mbauth sandbox --tour`: a scripted walk through signing in, against a private sandbox and a
 * temporary config folder (the user's own credentials are never read or written). Every step runs
 * the same operation as the command it names, and prints what happened with secrets masked.
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { makeSandbox, SANDBOX_DEMO } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as CliError from "../../CliError.js"
import type { SandboxArgs } from "../../commands/Sandbox.js"
import * as Output from "../../Output.js"
import * as Session from "../session/env.js"
import * as Ops from "../session/ops.js"

const masked = (secret: Redacted.Redacted<string>) => `<redacted, ${Redacted.value(secret).length} chars>`

/** @internal */
export const run = (args: SandboxArgs) =>
  Effect.scoped(
    Effect.gen(function*() {
      const out = yield* Output.Output
      const fs = yield* FileSystem.FileSystem
      const sandbox = yield* makeSandbox({ host: args.host, discovery: false }).pipe(
        Effect.mapError((error) =>
          new CliError.CommandFailed({ code: "SandboxFailed", message: `the sandbox could not start on ${args.host}: ${error._tag}` })
        )
      )
      const configDir = yield* fs.makeTempDirectoryScoped({ prefix: "mbauth-tour-" }).pipe(
        Effect.mapError((error) => new CliError.CommandFailed({ code: "TempDirFailed", message: error.message }))
      )
      const total = 8
      let n = 0
      // With --json each step is one object, written once its lines are known.
      let pending: { step: number; total: number; title: string; command: string; lines: Array<string> } | undefined
      const flush = Effect.suspend(() => {
        const done = pending
        pending = undefined
        return done === undefined ? Effect.void : out.jsonLine(done)
      })
      const step = (title: string, command: string) =>
        Effect.suspend(() => {
          n++
          if (!out.json) return out.data(`${n === 1 ? "" : "\n"}[${n}/${total}] ${title}\n      $ ${command}`)
          return Effect.zipRight(flush, Effect.sync(() => (pending = { step: n, total, title, command, lines: [] })))
        })
      const line = (text: string) =>
        out.json ? Effect.sync(() => pending?.lines.push(text)) : out.data(`      ${text}`)
      const say = (text: string) => out.json ? out.note(text) : out.data(text)
      const alice = SANDBOX_DEMO.connect.alice
      const emby = sandbox.emby
      const jellyfin = sandbox.jellyfin12

      yield* say(
        `mbauth sandbox tour: Emby Connect ${sandbox.connect.serviceUrl}, ${emby.serverName} ${emby.url}, ${jellyfin.serverName} ${jellyfin.url}\n` +
          `config folder: ${configDir} (temporary; your own sign-ins are not touched)\n`
      )

      yield* Effect.gen(function*() {
        yield* step(`Sign in to Emby Connect as ${alice.email}`, `mbauth connect login --user ${alice.email} --password-stdin`)
        const password = Redacted.make(alice.password)
        yield* line(`password ${masked(password)} sent as rawpw to ${sandbox.connect.serviceUrl}user/authenticate`)
        const session = yield* Ops.connectLogin(alice.email, password)
        yield* line(`signed in as ${session.user.name} (Connect user ${session.userId}), token ${masked(session.accessToken)}`)

        yield* step("List the servers linked to the Connect account", "mbauth connect servers")
        const servers = yield* Ops.connectServers
        for (const server of servers) {
          yield* line(
            `${server.name}  ServerId ${server.serverId}  ${server.localAddress ?? server.remoteAddress ?? "(no address)"}  ${server.userType}, AccessKey ${masked(server.accessKey)}`
          )
        }

        yield* step(`Exchange the AccessKey at ${emby.serverName} for a local token`, `mbauth server login '${emby.serverName}'`)
        const embyServer = yield* Ops.resolveServer(emby.id)
        const exchanged = yield* Ops.serverLogin(embyServer, { _tag: "ConnectExchange" })
        yield* line(`${exchanged.found.info.productName ?? exchanged.found.info.product} ${exchanged.found.info.version} (profile ${exchanged.found.profile}) at ${exchanged.found.address}`)
        yield* line(`signed in as ${exchanged.user.name} (local user ${exchanged.user.id}); token saved`)

        yield* step(`Add ${jellyfin.serverName} and sign in with a name and password`, `mbauth server add ${jellyfin.url} && mbauth server login '${jellyfin.serverName}' --user bob --password-stdin`)
        const added = yield* Ops.serverAdd(jellyfin.url)
        yield* line(`found ${added.found.info.serverName}: ${added.found.info.product} ${added.found.info.version}, profile ${added.found.profile}, ServerId ${added.found.info.id}`)
        const bob = SANDBOX_DEMO.users.bob
        const direct = yield* Ops.serverLogin(added.saved, { _tag: "Password", username: bob.name, password: Redacted.make(bob.password) })
        yield* line(`signed in as ${direct.user.name} (user ${direct.user.id}); token saved`)

        yield* step("Authenticated GET on both servers", `mbauth get '${emby.serverName}' /Users/Me && mbauth get '${jellyfin.serverName}' /Users/Me`)
        for (const id of [emby.id, jellyfin.id]) {
          const server = yield* Ops.resolveServer(id)
          const result = yield* Ops.get(server, "/Users/Me", undefined)
          const body = result.body as { readonly Name?: unknown; readonly Id?: unknown }
          yield* line(`${server.name}: ${result.status} {"Name":${JSON.stringify(body.Name)},"Id":${JSON.stringify(body.Id)},…}`)
        }

        yield* step("Both sign-ins are saved at once", "mbauth server list")
        for (const { online, server } of yield* Ops.serverList) {
          const users = Object.values(server.users).filter((u) => u.accessToken !== undefined).map((u) => u.name ?? u.id)
          yield* line(`${server.name}  ${server.product ?? ""} ${server.version ?? ""}  ${online ? "online" : "unreachable"}  signed in: ${users.join(", ") || "nobody"}`)
        }

        yield* step("Sign out of both servers (the servers revoke the tokens)", `mbauth server logout '${emby.serverName}' && mbauth server logout '${jellyfin.serverName}'`)
        for (const id of [emby.id, jellyfin.id]) {
          const server = yield* Ops.resolveServer(id)
          const result = yield* Ops.serverLogout(server, undefined, { local: false })
          yield* line(`${server.name}: ${result.user?.name ?? result.user?.id ?? "nobody"} signed out, token revoked on the server`)
        }
        const after = yield* Effect.either(Ops.get(yield* Ops.resolveServer(jellyfin.id), "/Users/Me", undefined))
        yield* line(`mbauth get '${jellyfin.serverName}' /Users/Me now fails: ${after._tag === "Left" && "message" in after.left ? after.left.message : "?"}`)

        yield* step("Sign out of Emby Connect", "mbauth connect logout")
        yield* Ops.connectLogout({ local: false })
        yield* line("Connect token revoked and forgotten, AccessKeys forgotten; the servers stay saved")
      }).pipe(
        Effect.ensuring(flush),
        Effect.provide(Session.layer({ configDir, connectUrl: sandbox.connect.serviceUrl, allowInsecure: false }))
      )

      yield* say("\nTour complete. Run `mbauth sandbox` to keep the servers running and try the commands yourself.")
    })
  )
