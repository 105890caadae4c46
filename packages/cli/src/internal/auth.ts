/**
 * `mbauth auth status|token`.
 *
 * @internal
 */
import { CredentialStore } from "@mbauth/core/CredentialStore"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { StatusArgs, TokenArgs } from "../commands/Auth.js"
import * as Output from "../Output.js"
import * as DefaultServer from "./session/defaultServer.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

type Check = "valid" | "rejected" | "unreachable"

// One authenticated request: the server's answer about the token, or that it could not be asked.
const check = (server: Parameters<typeof Ops.get>[0], userName: string) =>
  Ops.get(server, "/Users/Me", userName).pipe(
    Effect.as<Check>("valid"),
    Effect.catchAll((error) => Effect.succeed<Check>(error._tag === "CommandFailed" && error.code === "Unauthorized" ? "rejected" : "unreachable"))
  )

/** @internal */
export const status = (args: StatusArgs) =>
  Effect.gen(function*() {
    const out = yield* Output.Output
    const { credentials, defaultId, rows } = yield* Session.provide(Effect.gen(function*() {
      const credentials = yield* Effect.flatMap(CredentialStore, (store) => store.get)
      const defaultId = yield* DefaultServer.get
      const rows = yield* Effect.forEach(
        Object.values(credentials.servers),
        (server) =>
          Effect.forEach(
            Object.values(server.users).filter((user) => user.accessToken !== undefined),
            (user) =>
              Effect.map(
                args.check ? Effect.map(check(server, user.name ?? user.id), Option.some) : Effect.succeed(Option.none<Check>()),
                (checked) => ({ server, user, checked })
              )
          ),
        { concurrency: 4 }
      )
      return { credentials, defaultId, rows: rows.flat() }
    }))
    if (out.json) {
      yield* out.jsonLine({ connect: credentials.connect === undefined ? null : { userId: credentials.connect.userId } })
      for (const { checked, server, user } of rows) {
        yield* out.jsonLine({
          serverId: server.id,
          server: server.name,
          default: Option.contains(defaultId, server.id),
          userId: user.id,
          user: user.name,
          ...(Option.isSome(checked) ? { token: checked.value } : {})
        })
      }
      return
    }
    const lines = [
      `Emby Connect: ${credentials.connect === undefined ? "not signed in" : `signed in (user ${credentials.connect.userId})`}`
    ]
    for (const { checked, server, user } of rows) {
      const state = Option.match(checked, {
        onNone: () => "token saved",
        onSome: (c) =>
          c === "valid" ? out.style.green("token valid") : c === "rejected" ? out.style.red("token rejected: sign in again") : out.style.yellow("server unreachable")
      })
      lines.push(
        `${server.name ?? server.id}${Option.contains(defaultId, server.id) ? " (default)" : ""}: ${user.name ?? user.id}, ${state}`
      )
    }
    if (rows.length === 0) lines.push("no server sign-ins; sign in with: mbauth server login SERVER --user NAME")
    yield* out.data(lines.join("\n"))
  })

/** @internal */
export const token = (args: TokenArgs) =>
  Effect.gen(function*() {
    const user = yield* Session.provide(
      Effect.flatMap(DefaultServer.resolve(args.server), (server) => Ops.signedInUser(server, Option.getOrUndefined(args.user)))
    )
    // Printed because it was asked for: this command exists to hand the token to a script.
    const value = Redacted.value(user.accessToken)
    yield* Output.result(() => value, () => ({ ok: true, userId: user.id, token: value }))
  })
