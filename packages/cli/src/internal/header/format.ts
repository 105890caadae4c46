/**
 * `mbauth header format`.
 *
 * @internal
 */
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Batch from "../../Batch.js"
import * as CliError from "../../CliError.js"
import type { FormatArgs } from "../../commands/Header.js"
import { Output } from "../../Output.js"
import * as Secret from "../../Secret.js"

/** What replaces the token in the output unless --show-secrets: plain letters survive every encoding. */
export const placeholder = "REDACTED"

const queryTransport = Generated.TRANSPORTS.find((t) => t.kind === "query" && !t.deprecated)!

// POSIX shell single quotes: nothing inside is special except the quote itself.
const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`

interface Formatted {
  readonly output: string
  readonly redacted: boolean
  readonly issues: ReadonlyArray<Generated.ValidationIssue>
}

/**
 * Formats one set of parameters for the chosen transport. The token is written only with
 * --show-secrets; otherwise it becomes {@link placeholder}.
 */
const formatParams = (
  params: Generated.Params,
  args: FormatArgs
): Either.Either<Formatted, { readonly code: string; readonly message: string }> => {
  const hasToken = params.Token !== undefined
  const redacted = hasToken && !args.showSecrets && params.Token !== ""
  const shown: Generated.Params = redacted ? { ...params, Token: placeholder } : params
  // A header without a token is what a client sends to log in; with one, it is a request.
  const issues = Generated.validate(params, hasToken && params.Token !== "" ? "request" : "login")
  if (args.transport === "query") {
    if (params.Token === undefined || params.Token === "") {
      return Either.left({
        code: "MissingToken",
        message: "--transport query needs a token (--token-stdin or MBAUTH_TOKEN)"
      })
    }
    return Either.right({
      output: `${queryTransport.key}=${encodeURIComponent(shown.Token!)}`,
      redacted,
      issues
    })
  }
  const value = Generated.format(shown, {
    style: args.style,
    ...(Option.isSome(args.scheme) ? { scheme: args.scheme.value } : {})
  })
  if (value._tag === "Err") return Either.left({ code: value.error.code, message: value.error.message })
  const line = `${args.headerName}: ${value.value}`
  const output = args.transport === "value"
    ? value.value
    : args.transport === "header"
    ? line
    : `-H ${shellQuote(line)}`
  return Either.right({ output, redacted, issues })
}

const json = (formatted: Formatted, args: FormatArgs) => ({
  ok: true,
  value: formatted.output,
  transport: args.transport,
  ...(formatted.redacted ? { redacted: ["Token"] } : {}),
  issues: formatted.issues
})

const parameterNames = new Set<string>(Generated.PARAMETERS.map((p) => p.name))

/** A `--input jsonl` line: an object of parameter names to strings (null = absent). */
export const paramsFromJson = (value: unknown): Either.Either<Generated.Params, string> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return Either.left("each line must be a JSON object of parameters, e.g. {\"Client\":\"x\",\"DeviceId\":\"y\"}")
  }
  const params: Record<string, string> = {}
  for (const [key, v] of Object.entries(value)) {
    if (!parameterNames.has(key)) {
      return Either.left(`unknown parameter ${JSON.stringify(key)} (known: ${[...parameterNames].join(", ")})`)
    }
    if (v === null) continue
    if (typeof v !== "string") return Either.left(`the value of ${key} must be a string`)
    params[key] = v
  }
  return Either.right(params)
}

const line = (args: FormatArgs) => (text: string): Batch.LineResult => {
  const decoded = Either.flatMap(Batch.parseJsonLine(text), (value) =>
    Either.mapLeft(paramsFromJson(value), (message) => Batch.invalidInput("InvalidParams", message)))
  if (Either.isLeft(decoded)) return decoded.left
  const formatted = formatParams(decoded.right, args)
  if (Either.isLeft(formatted)) {
    return { ok: false, json: () => ({ error: formatted.left }), human: () => undefined, note: formatted.left.message }
  }
  return { ok: true, json: () => json(formatted.right, args), human: () => formatted.right.output }
}

/** @internal */
export const run = (args: FormatArgs) =>
  Effect.gen(function*() {
    const out = yield* Output
    if (args.stdin) {
      if (args.tokenStdin) {
        return yield* new CliError.UsageError({
          message: "--stdin and --token-stdin both read standard input",
          hint: "in batch mode put the Token in each JSON line"
        })
      }
      yield* Batch.inputFormat(args.input, "header format", ["jsonl"])
      return yield* Batch.run(line(args))
    }
    const token = yield* Secret.read({
      what: "the token",
      stdinFlag: "--token-stdin",
      fromStdin: args.tokenStdin,
      env: "MBAUTH_TOKEN"
    })
    const params: Record<string, string> = {}
    const set = (name: Generated.ParameterName, value: Option.Option<string>) => {
      if (Option.isSome(value)) params[name] = value.value
    }
    set("Client", args.client)
    set("Version", args.clientVersion)
    set("Device", args.device)
    set("DeviceId", args.deviceId)
    set("UserId", args.userId)
    // The one place the token leaves its Redacted: this command's output is the wire string.
    if (Option.isSome(token)) params.Token = Redacted.value(token.value)
    const formatted = formatParams(params, args)
    if (Either.isLeft(formatted)) {
      return yield* new CliError.CommandFailed({ code: formatted.left.code, message: formatted.left.message })
    }
    if (out.json) return yield* out.jsonLine(json(formatted.right, args))
    yield* out.data(formatted.right.output)
    for (const issue of formatted.right.issues) yield* out.note(`${out.errStyle.yellow("warning:")} ${issue.message}`)
    if (formatted.right.redacted) {
      yield* out.note(`the token is shown as ${placeholder}; add --show-secrets to print it`)
    }
  })
