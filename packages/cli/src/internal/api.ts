/**
 * `mbauth api SERVER PATH`: the request from the options, the answer printed for people (JSON laid
 * out on a terminal) or programs (one line when piped), binary bodies only into a file.
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Redaction from "@mbauth/core/Redaction"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { STATUS_CODES } from "node:http"
import * as CliError from "../CliError.js"
import type { ApiArgs } from "../commands/Api.js"
import { Output } from "../Output.js"
import { Stdio } from "../Stdio.js"
import * as Escape from "./escape.js"
import * as JsonText from "./jsonText.js"
import * as DefaultServer from "./session/defaultServer.js"
import * as Session from "./session/env.js"
import * as Ops from "./session/ops.js"

// Deeper than this, an indented body would be mostly indentation: it is printed on one line.
const maxIndentedDepth = 100

// Methods whose parameters (-f) go in the query, as gh api does for GET.
const queryMethods = new Set(["GET", "HEAD", "DELETE"])

const parseField = (field: string) => {
  const equals = field.indexOf("=")
  return equals <= 0
    ? Effect.fail(new CliError.UsageError({ message: `-f ${JSON.stringify(field)} is not KEY=VALUE`, hint: "e.g. -f code=123456" }))
    : Effect.succeed([field.slice(0, equals), field.slice(equals + 1)] as const)
}

const isJson = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The body of `--input FILE` (`-` for standard input), labelled JSON when it is. */
const readInput = (file: string) =>
  Effect.gen(function*() {
    const bytes = file === "-"
      ? new TextEncoder().encode(yield* Effect.flatMap(Stdio, (stdio) => stdio.readAll))
      : yield* Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFile(file))
    const json = isJson(new TextDecoder().decode(bytes))
    return { bytes, contentType: json ? "application/json" : "application/octet-stream" }
  }).pipe(
    Effect.mapError((error) => new CliError.UsageError({ message: `--input ${JSON.stringify(file)} cannot be read: ${error.message}` }))
  )

const request = (args: ApiArgs) =>
  Effect.gen(function*() {
    const fields = yield* Effect.forEach(args.fields, parseField)
    if (fields.length > 0 && Option.isSome(args.input)) {
      return yield* new CliError.UsageError({ message: "-f and --input both give the request a body: use one of them" })
    }
    const hasBody = fields.length > 0 || Option.isSome(args.input)
    const method = Option.getOrElse(args.method, () => hasBody ? "POST" as const : "GET" as const)
    if (Option.isSome(args.input)) return { method, path: args.path, body: yield* readInput(args.input.value) } satisfies Ops.ApiRequest
    if (fields.length === 0) return { method, path: args.path } satisfies Ops.ApiRequest
    if (queryMethods.has(method)) return { method, path: args.path, query: fields } satisfies Ops.ApiRequest
    const body = new TextEncoder().encode(JSON.stringify(Object.fromEntries(fields)))
    return { method, path: args.path, body: { bytes: body, contentType: "application/json" } } satisfies Ops.ApiRequest
  })

const textTypes = /^(?:text\/|application\/(?:json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded)$)/

/** The body as text, or `undefined` when it is binary (by its type, or not being UTF-8 text). @internal */
export const textOf = (contentType: string | undefined, bytes: Uint8Array): string | undefined => {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase()
  if (type !== "" && !textTypes.test(type)) return undefined
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    return text.includes("\u0000") ? undefined : text
  } catch {
    return undefined
  }
}

/** The response headers for `-i`: secret header values masked, and the token wherever it shows. @internal */
export const maskedHeaders = (response: Ops.ApiResponse): ReadonlyArray<readonly [string, string]> => {
  const token = [Redacted.value(response.user.accessToken)]
  return Object.entries(response.headers).map(([name, value]) =>
    [name, Redaction.isSecretHeaderName(name) ? Redaction.maskHeader(value) : Redaction.maskText(value, token)] as const
  )
}

const statusLine = (status: number) => `HTTP ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd()

/** Writes the file whole or not at all: next to it first, then renamed over it. */
const writeFile = (file: string, bytes: Uint8Array) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.resolve(file)
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.mbauth-${process.pid}.tmp`)
    yield* fs.writeFile(temporary, bytes).pipe(
      Effect.zipRight(fs.rename(temporary, target)),
      Effect.tapError(() => Effect.ignore(fs.remove(temporary)))
    )
  }).pipe(
    Effect.mapError((error) =>
      new CliError.CommandFailed({ code: "OutputFileFailed", message: `cannot write ${file}: ${error.message}` })
    )
  )

/** @internal */
export const run = (args: ApiArgs) =>
  Effect.gen(function*() {
    const out = yield* Output
    const stdio = yield* Stdio
    const wanted = yield* request(args)
    const { response, server } = yield* Session.provide(
      Effect.flatMap(DefaultServer.resolve(args.server), (server) =>
        Effect.map(Ops.send(server, Option.getOrUndefined(args.user), wanted), (response) => ({ response, server })))
    )
    if (args.include) {
      yield* out.json
        ? out.jsonLine({ status: response.status, headers: Object.fromEntries(maskedHeaders(response)) })
        : Effect.zipRight(out.data([statusLine(response.status), ...maskedHeaders(response).map(([name, value]) => `${name}: ${value}`)].join("\n")), out.data(""))
    }
    if (Option.isSome(args.output)) {
      yield* writeFile(args.output.value, response.bytes)
      yield* out.note(`wrote ${response.bytes.length} bytes to ${args.output.value}`)
    } else if (response.bytes.length > 0) {
      const text = textOf(response.headers["content-type"], response.bytes)
      if (text === undefined) {
        return yield* new CliError.CommandFailed({
          code: "BinaryBody",
          message: `the body is binary (${response.headers["content-type"] ?? "no Content-Type"}, ${response.bytes.length} bytes): not printed`,
          hint: "write it to a file with -o FILE"
        })
      }
      yield* printBody(text, stdio.isTTY.stdout && !out.json)
    }
    if (response.status < 200 || response.status >= 300) return yield* Ops.apiFailure(response, wanted.method, server)
  })

/**
 * A response body printed as data: JSON laid out for a person, on one line for programs (from the
 * server's text, never through JSON.stringify, so no depth of nesting can overflow the stack);
 * other text escaped for a person's terminal. `get` and `api` print through this.
 *
 * @internal
 */
export const printBody = (text: string, forPerson: boolean) =>
  Effect.gen(function*() {
    const out = yield* Output
    if (!isJson(text)) return yield* (out.json ? out.jsonLine(text) : out.data(forPerson ? Escape.untrustedLines(text) : text))
    if (!forPerson) return yield* out.data(JsonText.compact(text))
    const pretty = JsonText.layout(text, "  ", maxIndentedDepth)
    if (pretty !== undefined) return yield* out.data(pretty)
    yield* out.note(`the body nests more than ${maxIndentedDepth} levels deep: printed on one line`)
    yield* out.data(JsonText.compact(text))
  })
