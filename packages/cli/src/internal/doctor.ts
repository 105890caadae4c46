/**
 * `mbauth doctor`: prints a core `Diagnosis` (or `Diagnosis.explainRequest` for `--request`).
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Diagnosis from "@mbauth/core/Diagnosis"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as CliError from "../CliError.js"
import type { DoctorArgs } from "../commands/Doctor.js"
import * as Output from "../Output.js"
import * as Secret from "../Secret.js"
import type * as Ansi from "./ansi.js"
import { requestFromArgs } from "./request/explain.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

const mark = (level: Diagnosis.Level, style: Ansi.Styles) =>
  level === "ok" ? style.green("✓") : level === "note" ? style.yellow("!") : style.red("✗")

/** One finding: the cause on the mark's line, the fix under it. @internal */
export const findingLines = (finding: Diagnosis.Finding, style: Ansi.Styles): ReadonlyArray<string> => [
  `${mark(finding.level, style)} ${finding.cause}`,
  ...(finding.fix === undefined ? [] : [`  ${style.dim("fix:")} ${finding.fix}`])
]

const yesNo = (value: boolean | undefined, yes: string, no: string) => value === undefined ? "unknown" : value ? yes : no

/** The human report. @internal */
export const diagnosisText = (d: Diagnosis.Diagnosis, style: Ansi.Styles): string => {
  const head = d.server === undefined
    ? [style.bold(d.address)]
    : [
      `${style.bold(d.server.serverName)}  ${d.server.product} ${d.server.version} at ${d.address} (profile ${d.profile ?? "none"})`,
      ...(d.profile === undefined ? [] : [
        `  legacy authorization: ${
          d.findings.some((f) => f.code === "NoLegacySwitch") ? "no switch on this release" : yesNo(d.legacy, "on", "off")
        }` +
        (d.quickConnect === undefined ? "" : `   Quick Connect: ${yesNo(d.quickConnect, "on", "off")}`),
        `  reads:  ${d.transports.map((t) => `${t.transport} ${t.read === undefined ? "?" : t.read ? "yes" : "no"}${t.evidence === "inferred" ? "*" : ""}`).join(", ")}`,
        ...(d.token === undefined ? [] : [
          `  token:  ${d.transports.map((t) => `${t.transport} ${t.acceptsToken === undefined ? "?" : t.acceptsToken ? "accepted" : "refused"}`).join(", ")}`
        ]),
        ...d.addresses.map((a) => `  advertised ${a.address}: ${a.reachable ? "answers" : "no answer"}`),
        style.dim("  (* inferred from the release and its legacy switch, not sent)")
      ])
    ]
  return [...head, "", ...d.findings.flatMap((f) => findingLines(f, style))].join("\n")
}

const exitFor = (findings: ReadonlyArray<Diagnosis.Finding>) =>
  findings.some((f) => f.level === "problem") ? Effect.fail(new CliError.Reported({ exitCode: CliError.ExitCode.Failed })) : Effect.void

const capturedRequest = (args: DoctorArgs) =>
  args.headers.length === 0 && args.query.length === 0
    ? Effect.fail(
      new CliError.UsageError({
        message: "--request needs the request's headers and query",
        hint: "e.g. mbauth doctor URL --request -H 'X-Emby-Token: …' -q api_key=…"
      })
    )
    : requestFromArgs(args.headers, args.query)

/** The address to diagnose and the saved token to check, when the URL names a saved server. */
const savedSignIn = (input: string, userName: string | undefined) =>
  Session.provide(
    Effect.gen(function*() {
      const server = yield* Ops.resolveServer(input)
      const signedIn = yield* Effect.option(Ops.signedInUser(server, userName))
      return { server, user: Option.getOrUndefined(signedIn) }
    })
  ).pipe(Effect.option)

const diagnoseWith = (args: DoctorArgs, input: string) =>
  Effect.gen(function*() {
    const out = yield* Output.Output
    const given = yield* Secret.read({ what: "the token", stdinFlag: "--token-stdin", fromStdin: args.tokenStdin, env: "MBAUTH_TOKEN" })
    const saved = yield* savedSignIn(input, Option.getOrUndefined(args.user))
    const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim())
    const address = looksLikeUrl || Option.isNone(saved)
      ? (looksLikeUrl ? input.trim() : `http://${input.trim()}`)
      : (saved.value.server.addresses.local ?? saved.value.server.addresses.manual ?? saved.value.server.addresses.remote ?? input)
    let token: Redacted.Redacted<string> | undefined = Option.getOrUndefined(given)
    if (token === undefined && Option.isSome(saved) && saved.value.user !== undefined) {
      token = saved.value.user.accessToken
      yield* out.note(`checking the saved sign-in of ${saved.value.user.name ?? saved.value.user.id}`)
    }
    const http = yield* HttpClient.HttpClient
    return yield* Diagnosis.diagnose({ address, token }).pipe(Effect.provideService(HttpClient.HttpClient, http))
  })

/** @internal */
export const run = (args: DoctorArgs) =>
  Effect.gen(function*() {
    const out = yield* Output.Output
    const url = Option.getOrUndefined(args.url)
    if (args.request) {
      const request = yield* capturedRequest(args)
      const diagnosis = url === undefined ? undefined : yield* Session.provide(diagnoseWith(args, url))
      const profile = diagnosis?.profile ?? Option.getOrUndefined(args.profile)
      if (profile === undefined) {
        return yield* new CliError.UsageError({
          message: diagnosis === undefined ? "--request needs a server: give its URL or --profile" : `the server at ${url} could not be identified`,
          hint: diagnosis === undefined ? "e.g. mbauth doctor --request --profile jellyfin-12 -H 'X-Emby-Token: …'" : "give --profile"
        })
      }
      const legacy = diagnosis?.legacy ?? Option.getOrUndefined(Option.map(args.legacy, (l) => l === "on"))
      const findings = Diagnosis.explainRequest(request, { profile, legacy })
      if (out.json) yield* out.jsonLine({ profile, legacy: legacy ?? null, findings })
      else yield* out.data([`As ${profile}${legacy === undefined ? "" : ` with legacy ${legacy ? "on" : "off"}`} reads it:`, ...findings.flatMap((f) => findingLines(f, out.style))].join("\n"))
      return yield* exitFor(findings)
    }
    if (url === undefined) {
      return yield* new CliError.UsageError({ message: "which server?", hint: "mbauth doctor URL (e.g. http://192.168.1.20:8096)" })
    }
    const diagnosis = yield* Session.provide(diagnoseWith(args, url))
    if (out.json) yield* out.jsonLine(diagnosis)
    else yield* out.data(diagnosisText(diagnosis, out.style))
    return yield* exitFor(diagnosis.findings)
  })
