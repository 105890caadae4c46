/**
 * `mbauth sandbox`: serves until interrupted. The demo users, passwords and API key are fixed test
 * data (`SANDBOX_DEMO`), printed on purpose so that people and scripts can use them.
 *
 * @internal
 */
import { makeSandbox, makeSandboxPersonas, type SandboxPersonas, type SandboxService } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import { isIP } from "node:net"
import * as Option from "effect/Option"
import * as CliError from "../../CliError.js"
import type { SandboxArgs } from "../../commands/Sandbox.js"
import * as Output from "../../Output.js"
import * as Personas from "./personas.js"

const shellQuote = (value: string) => /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`

/** The commands that point mbauth at a running sandbox. @internal */
export const howTo = (sandbox: SandboxService, executable: string | undefined): string => {
  const jellyfin = sandbox.jellyfin12
  return [
    "Point mbauth at it (in another terminal):",
    "",
    ...(executable === undefined ? [] : [`  alias mbauth=${shellQuote(`node ${executable}`)}`]),
    `  export MBAUTH_CONNECT_URL=${sandbox.connect.serviceUrl}`,
    "  export MBAUTH_CONFIG_DIR=$(mktemp -d)   # keeps your real sign-ins apart",
    "",
    "  printf '%s' alice-connect-password | mbauth connect login --user alice@example.com --password-stdin",
    "  mbauth connect servers",
    `  mbauth server login ${shellQuote(sandbox.emby.serverName)}            # exchanges the Connect AccessKey`,
    `  mbauth server add ${jellyfin.url}`,
    `  printf '%s' bob-password | mbauth server login ${shellQuote(jellyfin.serverName)} --user bob --password-stdin`,
    "  mbauth server list",
    `  mbauth get ${shellQuote(jellyfin.serverName)} /Users/Me`,
    `  mbauth server logout ${shellQuote(jellyfin.serverName)}`,
    "",
    ...personSteps(sandbox.connect.serviceUrl, jellyfin),
    "",
    "Or run the scripted walk-through: mbauth sandbox --tour"
  ].join("\n")
}

/**
 * How to take the steps a person takes elsewhere: confirming a PIN (the Emby Connect website) and
 * approving a Quick Connect code (a signed-in Jellyfin app), with a command and over HTTP.
 */
const personSteps = (connectUrl: string | undefined, jellyfin: { readonly url: string; readonly serverName: string } | undefined) => {
  const pin = connectUrl === undefined ? [] : [[
    "A PIN sign-in (mbauth connect pin) waits for someone to confirm the PIN on the Emby Connect website:",
    "  mbauth sandbox confirm-pin PIN              # as alice@example.com (--user bob@example.com)",
    `  # over HTTP: POST ${connectUrl}pin/confirm?pin=PIN&userId=USERID with X-Connect-UserToken: TOKEN`,
    `  #   (USERID and TOKEN from POST ${connectUrl}user/authenticate, nameOrEmail=…&rawpw=…)`
  ]]
  const quickConnect = jellyfin === undefined ? [] : [[
    `A Quick Connect sign-in (mbauth server login ${shellQuote(jellyfin.serverName)} --quick-connect) waits for a signed-in app to approve its code:`,
    `  mbauth sandbox approve CODE --url ${jellyfin.url}   # as bob (--user alice)`,
    `  # over HTTP, signed in: POST ${jellyfin.url}/QuickConnect/Authorize?code=CODE`
  ]]
  return [...pin, ...quickConnect].flatMap((block, i) => i === 0 ? block : ["", ...block])
}

/** Why listening failed, from the system error code of the cause chain. */
const listenFailure = (host: string, error: unknown): string => {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = "code" in current ? current.code : undefined
    if (code === "EADDRNOTAVAIL") return `${host} is not an address of this machine (EADDRNOTAVAIL)`
    if (code === "EADDRINUSE") return `a port on ${host} is already in use (EADDRINUSE)`
    if (code === "EACCES" || code === "EPERM") return `listening on ${host} is not permitted (${code})`
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `${host} does not resolve to an address of this machine (${code})`
    current = "cause" in current ? current.cause : undefined
  }
  const message = typeof error === "object" && error !== null && "message" in error ? String(error.message) : ""
  return message === "" ? "listening failed" : message
}

/** The commands that point mbauth at chosen personas. @internal */
export const howToPersonas = (running: SandboxPersonas): string => {
  const first = running.servers[0]?.server
  if (first === undefined) return ""
  const steps = personSteps(running.connect?.serviceUrl, running.servers.find((s) => s.persona.startsWith("jellyfin"))?.server)
  return [
    "Point mbauth at it (in another terminal):",
    "",
    "  export MBAUTH_CONFIG_DIR=$(mktemp -d)   # keeps your real sign-ins apart",
    `  mbauth doctor ${first.url}`,
    `  mbauth server add ${first.url}`,
    `  printf '%s' bob-password | mbauth server login ${shellQuote(first.serverName)} --user bob --password-stdin`,
    ...(steps.length === 0 ? [] : ["", ...steps])
  ].join("\n")
}

const start = (args: SandboxArgs) =>
  Effect.gen(function*() {
    const firstPort = Option.getOrUndefined(args.port)
    if (args.personas.length === 0) {
      const sandbox = yield* makeSandbox({ host: args.host, ports: Personas.sandboxPorts(firstPort) })
      return { running: sandbox, howTo: (executable: string | undefined) => howTo(sandbox, executable) }
    }
    const plan = yield* Personas.personasPlan(args.personas, firstPort)
    const running = yield* makeSandboxPersonas({
      host: args.host,
      personas: plan.personas,
      connectPort: plan.connectPort,
      ...(firstPort === undefined ? {} : { discoveryPort: firstPort + plan.personas.length + 1 })
    })
    return { running, howTo: () => howToPersonas(running) }
  })

/** @internal */
export const run = (args: SandboxArgs) =>
  Effect.scoped(
    Effect.gen(function*() {
      if (isIP(args.host.replace(/^\[(.*)\]$/, "$1")) === 0 && args.host !== "localhost") {
        return yield* new CliError.UsageError({
          message: `--host ${JSON.stringify(args.host)} is not an IP address`,
          hint: "give an address of this machine, e.g. --host 127.0.0.1 or --host ::1 (the sandbox accepts any demo user: keep it local)"
        })
      }
      const { howTo: howToText, running: sandbox } = yield* start(args).pipe(
        Effect.mapError((error) =>
          error._tag === "UsageError" ? error : new CliError.CommandFailed({
            code: "SandboxFailed",
            message: `the sandbox could not start: ${listenFailure(args.host, error)}`
          })
        )
      )
      const out = yield* Output.Output
      if (out.json) {
        for (const service of sandbox.services) yield* out.jsonLine(service)
        if (sandbox.discovery !== undefined) {
          yield* out.jsonLine({ name: "Discovery", kind: "Discovery", host: sandbox.discovery.host, port: sandbox.discovery.port })
        }
      } else {
        // When run as the executable (dist/bin.mjs, bin/mbauth.mjs, or npm's `mbauth` link to it), say
        // how to call it from another shell (not on PATH in a clone).
        const script = process.argv[1]
        const executable = script !== undefined && /(?:^|[/\\])(?:bin\.mjs|mbauth\.mjs|mbauth)$/.test(script) ? script : undefined
        yield* out.data(`${sandbox.description}\n\n${howToText(executable)}`)
      }
      yield* out.note("sandbox running; Ctrl-C stops it")
      return yield* Effect.never.pipe(Effect.onInterrupt(() => out.note("sandbox stopped")))
    })
  )
