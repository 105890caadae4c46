/**
 * `mbauth header lint`.
 *
 * @internal
 */
import type * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Batch from "../../Batch.js"
import * as CliError from "../../CliError.js"
import type { LintArgs } from "../../commands/Header.js"
import { Output } from "../../Output.js"
import type * as Ansi from "../ansi.js"
import * as Caret from "../caret.js"
import * as Common from "./common.js"
import * as Rules from "./lintRules.js"

interface Report {
  readonly findings: ReadonlyArray<Rules.Finding>
  readonly profiles: ReadonlyArray<readonly [Common.Variant, Generated.Extraction]>
  readonly view: Common.View
  readonly ok: boolean
}

const report = (value: string, args: LintArgs, variants: ReadonlyArray<Common.Variant>): Report => {
  const findings = Rules.lint(value)
  const request: Generated.RequestLike = { headers: { [args.headerName]: value } }
  const profiles = variants.map((variant) => [variant, Common.extractFor(request, variant)] as const)
  const view = Common.viewFor(value, args.showSecrets)
  return { findings, profiles, view, ok: findings.every((f) => f.severity !== "error") }
}

const toJson = (r: Report) => ({
  ok: r.ok,
  findings: r.findings,
  profiles: r.profiles.map(([variant, extraction]) => Common.extractionJson(variant, extraction, r.view))
})

const count = (findings: ReadonlyArray<Rules.Finding>, severity: Rules.Severity) => {
  const n = findings.filter((f) => f.severity === severity).length
  return n === 0 ? [] : [`${n} ${severity}${n === 1 ? "" : "s"}`]
}

const summary = (findings: ReadonlyArray<Rules.Finding>) =>
  findings.length === 0 ? "no problems found" : [...count(findings, "error"), ...count(findings, "warning"), ...count(findings, "info")].join(", ")

const toLines = (value: string, r: Report, args: LintArgs, style: Ansi.Styles): Array<string> => {
  const lines: Array<string> = []
  const echoed = Common.echo(value, r.view)
  const paint = (severity: Rules.Severity) => (severity === "error" ? style.red : severity === "warning" ? style.yellow : style.cyan)
  for (const f of r.findings) {
    const [line, caret] = Caret.render(echoed, f.offset)
    lines.push(`${paint(f.severity)(f.severity)} ${style.bold(f.code)}: ${f.message}`)
    lines.push(`  ${line}`, `  ${paint(f.severity)(caret)}`, `  ${style.dim("fix:")} ${f.fix}`, "")
  }
  lines.push(style.bold(`How each server reads it (sent as ${args.headerName}):`))
  const width = Math.max(...r.profiles.map(([v]) => v.label.length))
  for (const [variant, extraction] of r.profiles) {
    const client = extraction.authorization === undefined
      ? style.yellow("no client info")
      : `client info from ${extraction.authorization.transport}`
    // Emby also takes the login fields the header lacks from its separate X-Emby-* values.
    const elsewhere = Common.separateValuesFor(variant.profile, extraction.parameters)
    const also = elsewhere.length === 0 ? "" : ` (${variant.profile} also reads ${elsewhere.join(", ")} for what it lacks)`
    lines.push(`  ${variant.label.padEnd(width)}  ${Common.tokenSummary(extraction, r.view, style)}; ${client}${also}`)
    for (const w of extraction.warnings) lines.push(`  ${" ".repeat(width)}  ${style.yellow("warning")} ${w.code}: ${w.message}`)
  }
  lines.push("", summary(r.findings))
  return lines
}

const toInline = (r: Report) => {
  const findings = r.findings.length === 0
    ? "no problems found"
    : r.findings.map((f) => `${f.severity} ${f.code}@${f.offset}`).join(", ")
  return `${findings} | ${Common.variantsInline(r.profiles)}`
}

/** @internal */
export const run = (args: LintArgs) =>
  Effect.flatMap(Output, (out) => {
    // The same profiles for every value: worked out once.
    const variants = Common.variants(Option.getOrUndefined(args.profile))
    return Batch.runValueCommand({
      command: "header lint",
      value: args.value,
      stdin: args.stdin,
      input: args.input,
      line: (value) => {
        const r = report(value, args, variants)
        return { ok: r.ok, json: () => toJson(r), human: () => toInline(r) }
      },
      single: (value) =>
        Effect.gen(function*() {
          const r = report(value, args, variants)
          if (out.json) yield* out.jsonLine(toJson(r))
          else yield* out.data(toLines(value, r, args, out.style).join("\n"))
          if (!r.ok) return yield* new CliError.Reported({ exitCode: CliError.ExitCode.Failed })
        })
    })
  })
