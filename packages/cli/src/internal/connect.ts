/**
 * `mbauth connect login|pin|servers|logout`.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { PinEvent } from "@mbauth/core/EmbyConnect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { LoginArgs, PinArgs } from "../commands/Connect.js"
import * as Output from "../Output.js"
import * as Secret from "../Secret.js"
import * as Escape from "./escape.js"
import * as Progress from "./progress.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

const masked = (secret: Redacted.Redacted<string>) => Secret.toJson(Redacted.value(secret), false)

/** @internal */
export const login = (args: LoginArgs) =>
  Effect.gen(function*() {
    const password = yield* Secret.required({
      what: "the Emby Connect password",
      stdinFlag: "--password-stdin",
      fromStdin: args.passwordStdin,
      env: "MBAUTH_PASSWORD",
      prompt: `Emby Connect password for ${args.user}`
    })
    const session = yield* Session.provide(Ops.connectLogin(args.user, password))
    yield* Output.result(
      () =>
        `signed in to Emby Connect as ${Escape.untrusted(session.user.name)}${session.user.email === undefined ? "" : ` (${Escape.untrusted(session.user.email)})`}`,
      () => ({ ok: true, userId: session.userId, name: session.user.name, email: session.user.email, accessToken: masked(session.accessToken) })
    )
  })

/** @internal */
export const pin = (args: PinArgs) =>
  Effect.gen(function*() {
    const out = yield* Output.Output
    let label = "creating a PIN"
    let deadline: Date | undefined
    const onEvent = Effect.fn("connect.pin.event")(function*(event: PinEvent) {
      switch (event._tag) {
        case "PinCreated": {
          deadline = event.expires
          if (out.json) yield* out.jsonLine({ event: "PinCreated", pin: event.pin, url: event.url, expires: event.expires?.toISOString() })
          else yield* out.note(`Enter the PIN ${out.errStyle.bold(Escape.untrusted(event.pin))} at ${event.url} (signed in to Emby Connect there). Ctrl-C stops waiting.`)
          label = `waiting for PIN ${event.pin} to be confirmed`
          return
        }
        case "Waiting": {
          const left = deadline === undefined ? "" : ` (${Progress.clock(deadline.getTime() - (yield* Clock.currentTimeMillis))} left)`
          label = `waiting for PIN ${event.pin} to be confirmed${left}`
          return
        }
        case "Confirmed":
          label = "PIN confirmed, signing in"
          return
        case "SignedIn":
          return
      }
    })
    const credentials = yield* Progress.withSpinner(
      () => label,
      Session.provide(Ops.connectPin(onEvent, { interval: Duration.seconds(args.interval) }))
    )
    yield* Output.result(
      () => `signed in to Emby Connect (user ${Escape.untrusted(credentials.userId)})`,
      () => ({ ok: true, userId: credentials.userId, accessToken: masked(credentials.accessToken) })
    )
  })

/** @internal */
export const servers = Effect.gen(function*() {
  const list = yield* Session.provide(Ops.connectServers)
  const out = yield* Output.Output
  if (out.json) {
    for (const server of list) {
      yield* out.jsonLine({
        serverId: server.serverId,
        name: server.name,
        localAddress: server.localAddress,
        remoteAddress: server.remoteAddress,
        userType: server.userType,
        accessKey: masked(server.accessKey)
      })
    }
    return
  }
  if (list.length === 0) return yield* out.note("no servers are linked to this Emby Connect account")
  for (const server of list) {
    const address = Option.getOrElse(Option.fromNullable(server.localAddress ?? server.remoteAddress), () => "(no address)")
    yield* out.data([server.name, server.serverId, address, server.userType].map(Escape.untrusted).join("  "))
  }
  yield* out.note(`saved; sign in with: mbauth server login SERVER (the AccessKey is exchanged for a token)`)
})

/** @internal */
export const logout = (args: { readonly local: boolean }) =>
  Effect.gen(function*() {
    const outcome = yield* Session.provide(Ops.connectLogout(args))
    yield* Output.result(
      () =>
        outcome === "NotSignedIn"
          ? "not signed in to Emby Connect; nothing to do"
          : `signed out of Emby Connect${outcome === "ForgottenHere" ? " here only" : ""}`,
      () => ({ ok: true, signedOut: outcome !== "NotSignedIn", outcome })
    )
    if (outcome === "ForgottenHere") {
      yield* Output.note("the token was forgotten here but stays valid at Emby Connect until it is revoked there")
    }
  })
