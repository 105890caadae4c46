/**
 * `mbauth server add|login|list|logout|approve|remove`.
 *
 * @internal
 */
import * as Prompt from "@effect/cli/Prompt"
import * as ServerDiscovery from "@mbauth/core/ServerDiscovery"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliError from "../CliError.js"
import type { AddArgs, ApproveArgs, DiscoverArgs, LoginArgs, LogoutArgs, RemoveArgs } from "../commands/Server.js"
import * as Output from "../Output.js"
import * as Secret from "../Secret.js"
import * as Escape from "./escape.js"
import * as Progress from "./progress.js"
import * as DefaultServer from "./session/defaultServer.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

/** @internal */
export const add = (args: AddArgs) => Effect.flatMap(Session.provide(Ops.serverAdd(args.url)), printAdded)

const printAdded = ({ found, saved }: Effect.Effect.Success<ReturnType<typeof Ops.serverAdd>>) =>
  Effect.gen(function*() {
    const info = found.info
    yield* Output.result(
      () =>
        [
          `found ${Escape.untrusted(info.serverName)} at ${Escape.untrusted(found.address)}: ${info.product} ${Escape.untrusted(info.version)}, profile ${found.profile}`,
          `saved as ${Escape.untrusted(saved.id)}`
        ].join("\n"),
      () => ({ ok: true, serverId: saved.id, name: info.serverName, product: info.product, version: info.version, profile: found.profile, address: found.address })
    )
    yield* Output.note(`sign in with: mbauth server login ${Escape.untrusted(saved.id)} --user NAME${info.product === "Jellyfin" ? " (or --quick-connect)" : ""}`)
  })

/** @internal */
export const login = (args: LoginArgs) =>
  Effect.gen(function*() {
    const out = yield* Output.Output
    const result = yield* Session.provide(Effect.gen(function*() {
      const server = yield* DefaultServer.resolve(args.server)
      if (args.quickConnect) {
        if (Option.isSome(args.user)) return yield* new CliError.UsageError({ message: "--quick-connect and --user do not go together" })
        let label = "starting Quick Connect"
        return yield* Progress.withSpinner(
          () => label,
          Ops.serverLogin(server, {
            _tag: "QuickConnect",
            interval: Duration.seconds(args.interval),
            onCode: (code) => {
              label = `waiting for code ${code} to be authorized`
              return out.json
                ? out.jsonLine({ event: "CodeCreated", code })
                : out.note(`Enter the code ${out.errStyle.bold(Escape.untrusted(code))} in a Jellyfin app where you are signed in (Settings → Quick Connect). Ctrl-C stops waiting.`)
            }
          })
        )
      }
      if (Option.isSome(args.user)) {
        const password = yield* Secret.required({
          what: "the password",
          stdinFlag: "--password-stdin",
          fromStdin: args.passwordStdin,
          env: "MBAUTH_PASSWORD",
          prompt: `Password for ${args.user.value} on ${server.name ?? server.id}`
        })
        return yield* Ops.serverLogin(server, { _tag: "Password", username: args.user.value, password })
      }
      if (server.connect?.accessKey !== undefined) return yield* Ops.serverLogin(server, { _tag: "ConnectExchange" })
      return yield* new CliError.UsageError({
        message: "say how to sign in: --user NAME or --quick-connect",
        hint: "(an Emby server listed by mbauth connect servers signs in with its Connect AccessKey without either)"
      })
    }))
    yield* Output.result(
      () => `signed in to ${Escape.untrusted(result.found.info.serverName)} as ${Escape.untrusted(result.user.name)} (${result.via})`,
      () => ({ ok: true, serverId: result.found.info.id, userId: result.user.id, user: result.user.name, via: result.via })
    )
  })

/** @internal */
export const list = Effect.gen(function*() {
  const [entries, defaultId] = yield* Session.provide(Effect.all([Ops.serverList, DefaultServer.get]))
  const out = yield* Output.Output
  if (entries.length === 0 && !out.json) return yield* out.note("no saved servers; add one with: mbauth server add URL")
  for (const { address, online, server } of entries) {
    const users = Object.values(server.users).map((u) => ({ id: u.id, name: u.name, signedIn: u.accessToken !== undefined }))
    const isDefault = Option.contains(defaultId, server.id)
    if (out.json) {
      yield* out.jsonLine({
        serverId: server.id,
        name: server.name,
        product: server.product,
        version: server.version,
        address,
        status: online ? "online" : "unreachable",
        connect: server.connect?.accessKey !== undefined,
        default: isDefault,
        users
      })
      continue
    }
    const status = online ? out.style.green("online") : out.style.red("unreachable")
    const who = users.filter((u) => u.signedIn).map((u) => Escape.untrusted(u.name ?? u.id))
    const about = [server.name ?? "(unnamed)", server.id, [server.product, server.version].filter(Boolean).join(" "), address ?? ""]
      .map(Escape.untrusted)
    if (isDefault) about[0] += " (default)"
    yield* out.data(
      `${about.join("  ")}  ${status}\n` +
        `  signed in: ${who.length === 0 ? "nobody" : who.join(", ")}${server.connect?.accessKey !== undefined ? "  (Emby Connect AccessKey saved)" : ""}`
    )
  }
})

/** @internal */
export const logout = (args: LogoutArgs) =>
  Effect.gen(function*() {
    const userName = Option.getOrUndefined(args.user)
    const { outcome, server, user } = yield* Session.provide(
      Effect.flatMap(DefaultServer.resolve(args.server), (server) =>
        Effect.map(Ops.serverLogout(server, userName, { local: args.local }), (r) => ({ ...r, server })))
    )
    const serverName = Escape.untrusted(server.name ?? server.id)
    yield* Output.result(
      () =>
        user === undefined
          ? `${userName === undefined ? "nobody is" : `${userName} is not`} signed in to ${serverName}; nothing to do`
          : `signed out ${Escape.untrusted(user.name ?? user.id)} from ${serverName}${outcome === "ForgottenHere" ? " here only" : ""}`,
      () => ({ ok: true, serverId: server.id, userId: user?.id, outcome })
    )
    if (outcome === "ForgottenHere") yield* Output.note("the token was forgotten here but stays valid on the server until it is revoked there")
  })

/** @internal */
export const approve = (args: ApproveArgs) =>
  Effect.gen(function*() {
    const code = args.code.trim()
    if (!/^\d{6}$/.test(code)) {
      return yield* new CliError.UsageError({
        message: `${JSON.stringify(args.code)} is not a Quick Connect code`,
        hint: "the new device shows six digits, e.g. mbauth server approve SERVER 123456"
      })
    }
    const { server, user } = yield* Session.provide(
      Effect.flatMap(Ops.resolveServer(args.server), (server) =>
        Effect.map(Ops.serverApprove(server, code, Option.getOrUndefined(args.user)), (r) => ({ ...r, server })))
    )
    yield* Output.result(
      () => `approved ${code}: the device that shows it is now signed in to ${server.name ?? server.id} as ${user.name ?? user.id}`,
      () => ({ ok: true, serverId: server.id, userId: user.id, code })
    )
  })

/** `server use`: the default server. @internal */
export const use = (args: { readonly server: string }) =>
  Effect.gen(function*() {
    const server = yield* Session.provide(Effect.tap(Ops.resolveServer(args.server), (s) => DefaultServer.set(s.id)))
    yield* Output.result(
      () => `default server: ${Escape.untrusted(server.name ?? server.id)} (${Escape.untrusted(server.id)})`,
      () => ({ ok: true, serverId: server.id, name: server.name })
    )
  })

// On a terminal, removing asks first (default no); scripts, without a terminal, are not asked.
const confirmRemoval = (server: { readonly id: string; readonly name?: string | undefined; readonly users: object }) =>
  Effect.gen(function*() {
    if (!(yield* Secret.isInteractive)) return true
    const signIns = Object.keys(server.users).length
    return yield* Prompt.confirm({
      message: `Forget ${Escape.untrusted(server.name ?? server.id)}${signIns > 0 ? ` and its ${signIns} sign-in${signIns === 1 ? "" : "s"}` : ""}?`,
      initial: false
    })
  })

/** @internal */
export const remove = (args: RemoveArgs) =>
  Effect.gen(function*() {
    const server = yield* Session.provide(Effect.gen(function*() {
      const server = yield* Ops.resolveServer(args.server)
      if (!args.yes && !(yield* confirmRemoval(server))) {
        return yield* new CliError.CommandFailed({ code: "Cancelled", message: `kept ${server.name ?? server.id}` })
      }
      yield* Ops.serverRemove(server)
      return server
    }))
    yield* Output.result(
      () => `removed ${Escape.untrusted(server.name ?? server.id)}`,
      () => ({ ok: true, serverId: server.id })
    )
  })

/** `--address HOST[:PORT]` as a discovery target. */
const parseTarget = (address: string) => {
  const match = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(address.trim())
  const port = match?.[2] === undefined ? ServerDiscovery.DEFAULT_PORT : Number(match[2])
  return match === null || port < 1 || port > 65535
    ? Effect.fail(new CliError.UsageError({ message: `--address ${JSON.stringify(address)} is not HOST[:PORT]`, hint: "e.g. --address 192.168.1.20 or --address 127.0.0.1:7359 (IPv4)" }))
    : Effect.succeed({ host: match[1]!, port })
}

/** The servers that answer, asked by broadcast or at the `--address`es (one run per port). */
const discoverServers = (args: DiscoverArgs) =>
  Effect.gen(function*() {
    if (!(args.timeout >= 0.1 && args.timeout <= 30)) {
      return yield* new CliError.UsageError({ message: `--timeout must be a number of seconds from 0.1 to 30, not ${args.timeout}` })
    }
    const targets = yield* Effect.forEach(args.address, parseTarget)
    const ports = [...new Set(targets.map((t) => t.port))]
    const discovery = ServerDiscovery.make({ timeout: Duration.seconds(args.timeout) })
    const runs = targets.length === 0
      ? [discovery.discover()]
      : ports.map((port) => discovery.discover({ port, targets: targets.filter((t) => t.port === port).map((t) => t.host) }))
    const found = (yield* Effect.all(runs, { concurrency: "unbounded" })).flat()
    const seen = new Set<string>()
    return found.filter((server) => {
      const key = `${server.product}/${server.id.toLowerCase()}`
      return seen.has(key) ? false : (seen.add(key), true)
    })
  }).pipe(
    Effect.mapError((error) => error._tag === "DiscoveryError" ? new CliError.CommandFailed({ code: "DiscoveryFailed", message: error.message }) : error)
  )

/** @internal */
export const discover = (args: DiscoverArgs) =>
  Effect.gen(function*() {
    const out = yield* Output.Output
    const servers = yield* discoverServers(args)
    if (Option.isSome(args.add)) {
      const wanted = args.add.value.trim().toLowerCase()
      const byId = servers.filter((s) => s.id.toLowerCase() === wanted)
      const matches = byId.length > 0 ? byId : servers.filter((s) => s.name.toLowerCase() === wanted)
      if (matches.length !== 1) {
        return yield* new CliError.CommandFailed({
          code: matches.length === 0 ? "NotDiscovered" : "AmbiguousServer",
          message: matches.length === 0
            ? `no server that answered is called ${JSON.stringify(args.add.value)}`
            : `${matches.length} servers that answered are called ${JSON.stringify(args.add.value)}`,
          hint: servers.length === 0
            ? "nothing answered: check that the server is on this network, or add it by address with: mbauth server add URL"
            : `these answered: ${servers.map((s) => `${Escape.untrusted(s.name)} (${s.id})`).join(", ")}`
        })
      }
      return yield* Effect.flatMap(Session.provide(Ops.serverAdd(matches[0]!.address)), printAdded)
    }
    if (servers.length === 0 && !out.json) {
      return yield* out.note(
        `no server answered within ${args.timeout} s (${args.address.length === 0 ? "broadcast on UDP port 7359" : args.address.join(", ")}); add one by address with: mbauth server add URL`
      )
    }
    for (const server of servers) {
      yield* Output.result(
        () =>
          [
            `${Escape.untrusted(server.name)}  ${server.product}  ${Escape.untrusted(server.address)}  ${Escape.untrusted(server.id)}`,
            `  answered from ${server.endpointAddress}${
              server.reportedAddress === undefined || server.reportedAddress === server.address ? "" : `, reported ${Escape.untrusted(server.reportedAddress)}`
            }`
          ].join("\n"),
        () => ({
          serverId: server.id,
          name: server.name,
          product: server.product,
          address: server.address,
          reportedAddress: server.reportedAddress ?? null,
          from: server.endpointAddress
        })
      )
    }
    if (!out.json) yield* out.note("save one with: mbauth server discover --add NAME (or mbauth server add ADDRESS)")
  })
