/**
 * `mbauth header parse`.
 *
 * @internal
 */
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Batch from "../../Batch.js"
import * as CliError from "../../CliError.js"
import type { ParseArgs } from "../../commands/Header.js"
import { Output } from "../../Output.js"
import type * as Ansi from "../ansi.js"
import * as Caret from "../caret.js"
import * as Common from "./common.js"

type Mode = Generated.ParseMode
type Outcome = readonly [Mode, Generated.Result<Generated.ParsedHeader, Generated.ParseError>]

const modesOf = (args: ParseArgs): ReadonlyArray<Mode> =>
  Option.match(args.mode, { onNone: () => ["strict", "compat"] as const, onSome: (mode) => [mode] })

/** Parses one value in every requested mode. */
export const parseAll = (value: string, args: ParseArgs): { readonly outcomes: ReadonlyArray<Outcome>; readonly view: Common.View } => {
  const outcomes = modesOf(args).map((mode): Outcome => [mode, Generated.parse(value, { mode, legacy: !args.noLegacy })])
  // The view needs the compat parse with legacy schemes: reuse it when it is one of the outcomes.
  const compat = args.noLegacy ? undefined : outcomes.find(([mode]) => mode === "compat")?.[1]
  return { outcomes, view: Common.viewFor(value, args.showSecrets, compat) }
}

const outcomeJson = (result: Outcome[1], view: Common.View) =>
  result._tag === "Ok"
    ? {
      ok: true,
      scheme: result.value.scheme,
      params: Common.paramsJson(result.value.params, view),
      dictionary: Common.dictionaryJson(result.value.dictionary, view)
    }
    : { ok: false, error: result.error }

/** Whether any requested mode parsed the value. */
const isOk = (outcomes: ReadonlyArray<Outcome>): boolean => outcomes.some(([, r]) => r._tag === "Ok")

/** The JSON result for one value: `ok` is true when any requested mode parsed it. */
export const toJson = (outcomes: ReadonlyArray<Outcome>, view: Common.View): { readonly ok: boolean } & Record<string, unknown> => {
  const results: Record<string, unknown> = {}
  for (const [mode, result] of outcomes) results[mode] = outcomeJson(result, view)
  return { ok: isOk(outcomes), results }
}

/** The human report for one value. */
export const toLines = (value: string, outcomes: ReadonlyArray<Outcome>, view: Common.View, style: Ansi.Styles) => {
  const lines: Array<string> = []
  for (const [mode, result] of outcomes) {
    const label = mode.padEnd(8)
    if (result._tag === "Ok") {
      lines.push(`${style.bold(label)}${style.green("ok")}  scheme ${result.value.scheme}`)
      lines.push(...Common.dictionaryLines(result.value.dictionary, view, style, "        "))
    } else {
      const { code, message, offset } = result.error
      lines.push(`${style.bold(label)}${style.red("error")}  ${code} at offset ${offset}`)
      const [echoed, caret] = Caret.render(Common.echo(value, view), offset, { label: message })
      lines.push(`        ${echoed}`, `        ${style.red(caret)}`)
    }
  }
  return lines
}

/** The one-line batch summary. */
const toInline = (outcomes: ReadonlyArray<Outcome>, view: Common.View) =>
  outcomes
    .map(([mode, result]) =>
      result._tag === "Ok"
        ? `${mode}: ok ${result.value.scheme} ${Common.paramsInline(result.value.dictionary, view)}`
        : `${mode}: error ${result.error.code} at ${result.error.offset}`
    )
    .join("  ")

/** @internal */
export const run = (args: ParseArgs) =>
  Effect.flatMap(Output, (out) =>
    Batch.runValueCommand({
      command: "header parse",
      value: args.value,
      stdin: args.stdin,
      input: args.input,
      line: (value) => {
        const { outcomes, view } = parseAll(value, args)
        return { ok: isOk(outcomes), json: () => toJson(outcomes, view), human: () => toInline(outcomes, view) }
      },
      single: (value) =>
        Effect.gen(function*() {
          const { outcomes, view } = parseAll(value, args)
          const json = toJson(outcomes, view)
          if (out.json) yield* out.jsonLine(json)
          else yield* out.data(toLines(value, outcomes, view, out.style).join("\n"))
          if (!json.ok) return yield* new CliError.Reported({ exitCode: CliError.ExitCode.Failed })
        })
    }))
