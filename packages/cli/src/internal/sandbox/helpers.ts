/**
 * `mbauth sandbox confirm-pin` and `sandbox approve`: the steps a person takes elsewhere during a
 * PIN or Quick Connect sign-in (on the Emby Connect website, in a signed-in Jellyfin app), done
 * against a running sandbox as one of its demo users. Each signs in, does the step, signs out.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import { SANDBOX_DEMO } from "@mbauth/testing"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CliError from "../../CliError.js"
import type { ApproveArgs, ConfirmPinArgs } from "../../commands/Sandbox.js"
import * as Output from "../../Output.js"
import * as Escape from "../escape.js"
import * as Session from "../session/env.js"
import * as Ops from "../session/ops.js"

// The helpers' own device: their short sign-ins never replace a token the user saved.
const helperClient = { client: Ops.appName, version: Ops.appVersion, device: "mbauth sandbox", deviceId: "mbauth-sandbox-helper" }

const requestTimeout = Duration.seconds(10)

const demoConnectUser = (given: string) => {
  const user = Object.values(SANDBOX_DEMO.connect).find((u) => u.email === given.toLowerCase() || u.name === given.toLowerCase())
  return user === undefined
    ? Effect.fail(new CliError.UsageError({ message: `--user ${JSON.stringify(given)} is not a demo Emby Connect user`, hint: "use alice@example.com or bob@example.com" }))
    : Effect.succeed(user)
}

const demoUser = (given: string) => {
  const user = Object.values(SANDBOX_DEMO.users).find((u) => u.name === given.toLowerCase())
  return user === undefined
    ? Effect.fail(new CliError.UsageError({ message: `--user ${JSON.stringify(given)} is not a demo user of the sandbox`, hint: "use alice or bob" }))
    : Effect.succeed(user)
}

/** The sandbox's Connect service from --url or MBAUTH_CONNECT_URL; never the real service. */
const connectUrl = (given: Option.Option<string>) => {
  const url = Option.getOrElse(given, () => "").trim()
  if (url === "") {
    return Effect.fail(new CliError.UsageError({
      message: "say where the sandbox's Emby Connect is: --url URL or MBAUTH_CONNECT_URL",
      hint: "mbauth sandbox prints it (export MBAUTH_CONNECT_URL=…)"
    }))
  }
  if (!URL.canParse(url)) return Effect.fail(new CliError.UsageError({ message: `--url ${JSON.stringify(url)} is not a URL` }))
  if (new URL(url).host === new URL(EmbyConnect.DEFAULT_BASE_URL).host) {
    return Effect.fail(new CliError.UsageError({
      message: `${url} is the real Emby Connect: sandbox confirm-pin only talks to a sandbox`,
      hint: "confirm a real PIN at https://emby.media/pin"
    }))
  }
  return Effect.succeed(url.endsWith("/") ? url : `${url}/`)
}

const failed = (code: string) => (error: { readonly message: string }) => new CliError.CommandFailed({ code, message: error.message })

/** @internal */
export const confirmPin = (args: ConfirmPinArgs) =>
  Effect.gen(function*() {
    const url = yield* connectUrl(args.url)
    const demo = yield* demoConnectUser(args.user)
    const connect = yield* EmbyConnect.make({ appName: Ops.appName, appVersion: Ops.appVersion, baseUrl: url }).pipe(
      Effect.mapError((error) => new CliError.UsageError({ message: `--url is not usable: ${error.message}` }))
    )
    const session = yield* Effect.mapError(connect.authenticate({ nameOrEmail: demo.email, password: Redacted.make(demo.password) }), failed("SignInFailed"))
    const http = yield* HttpClient.HttpClient
    const confirm = HttpClientRequest.post(new URL("pin/confirm", url)).pipe(
      HttpClientRequest.setUrlParams({ pin: args.pin, userId: session.userId }),
      HttpClientRequest.setHeader("X-Connect-UserToken", Redacted.value(session.accessToken))
    )
    const status = yield* http.execute(confirm).pipe(
      Effect.map((response) => response.status),
      Effect.scoped,
      Effect.timeout(requestTimeout),
      Effect.ensuring(Effect.ignore(connect.logout(session))),
      Effect.mapError((error) => new CliError.CommandFailed({ code: "ServerUnreachable", message: `${url}pin/confirm failed: ${error.message}` }))
    )
    if (status === 404) {
      return yield* new CliError.CommandFailed({
        code: "NoSuchPin",
        message: `no PIN ${Escape.untrusted(args.pin)} is waiting at ${url}`,
        hint: "start one with: mbauth connect pin (a PIN expires after a while, and is confirmed once)"
      })
    }
    if (status < 200 || status >= 300) {
      return yield* new CliError.CommandFailed({ code: "HttpError", message: `POST ${url}pin/confirm answered ${status}` })
    }
    yield* Output.result(
      () => `PIN ${Escape.untrusted(args.pin)} confirmed as ${demo.email}: the waiting \`mbauth connect pin\` signs in now`,
      () => ({ ok: true, pin: args.pin, user: demo.email })
    )
  }).pipe(Session.provideHttp)

/** @internal */
export const approve = (args: ApproveArgs) =>
  Effect.gen(function*() {
    const demo = yield* demoUser(args.user)
    const found = yield* Ops.find(Ops.candidates(args.url))
    const server = yield* MediaServer.make({ address: found.address, profile: found.profile, clientInfo: helperClient }).pipe(
      Effect.mapError(failed("InvalidClient"))
    )
    const signIn = yield* Effect.mapError(server.authenticateByName({ username: demo.name, password: Redacted.make(demo.password) }), failed("SignInFailed"))
    yield* server.authorizeQuickConnect({ accessToken: signIn.accessToken }, args.code).pipe(
      Effect.ensuring(Effect.ignore(server.logout({ accessToken: signIn.accessToken }))),
      Effect.mapError((error) =>
        new CliError.CommandFailed({
          code: error._tag === "QuickConnectCodeUnknown" ? "NoSuchCode" : "ApproveFailed",
          message: error.message,
          ...(error._tag === "QuickConnectCodeUnknown" ? { hint: "start one with: mbauth server login SERVER --quick-connect" } : {})
        })
      )
    )
    yield* Output.result(
      () => `code ${Escape.untrusted(args.code)} approved as ${demo.name} on ${Escape.untrusted(found.info.serverName)}: the waiting device signs in now`,
      () => ({ ok: true, code: args.code, user: demo.name, serverId: found.info.id })
    )
  }).pipe(Session.provideHttp)
