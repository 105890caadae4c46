// The `vectors` target: a JSON file of inputs and the results the algorithm gives for them, for
// implementations in other languages to test against. Maps are written as [key, value] pairs,
// because JSON objects would reorder integer-like keys.
import { type Ir, toTables } from "../Ir.js"
import { extractCases, formatCases, parseCases, validateCases } from "./cases.js"
import { headerText } from "./header.js"
import * as Runtime from "@mbauth/runtime"

type AnyRuntime = Runtime.Runtime<Runtime.Tables>

const parseResult = (runtime: AnyRuntime, input: string, options: { mode: "strict" | "compat"; legacy?: boolean }) => {
  const r = runtime.parse(input, options)
  return r._tag === "Ok"
    ? { ok: { scheme: r.value.scheme, dictionary: [...r.value.dictionary], params: r.value.params } }
    : { error: { code: r.error.code, offset: r.error.offset } }
}

/** The vectors, computed by running the runtime on the spec's tables. */
export const vectors = (ir: Ir) => {
  const runtime: AnyRuntime = Runtime.make(toTables(ir))
  const legacyNames = new Set(ir.schemes.filter((s) => s.legacy).map((s) => s.name.toLowerCase()))
  const parse = parseCases(ir).flatMap(({ description, input }) => {
    const space = input.indexOf(" ")
    const legacyScheme = space > 0 && legacyNames.has(input.slice(0, space).toLowerCase())
    const modes = ["compat", "strict"] as const
    return modes.flatMap((mode) => [
      { description, input, options: { mode }, result: parseResult(runtime, input, { mode }) },
      ...(legacyScheme
        ? [{
          description: `${description} (legacy off)`,
          input,
          options: { mode, legacy: false },
          result: parseResult(runtime, input, { mode, legacy: false })
        }]
        : [])
    ])
  })
  const format = formatCases(ir).flatMap(({ description, params }) =>
    ir.formatStyles.map((style) => {
      const r = runtime.format(params, { style: style.name })
      return {
        description,
        params,
        options: { style: style.name },
        result: r._tag === "Ok" ? { ok: r.value } : { error: { code: r.error.code, parameter: r.error.parameter } }
      }
    })
  )
  const validate = validateCases(ir).flatMap(({ description, params }) =>
    ir.operations.map((operation) => ({
      description,
      params,
      operation: operation.name,
      issues: runtime.validate(params, operation.name).map((i) =>
        i.parameter === undefined ? { code: i.code } : { code: i.code, parameter: i.parameter }
      )
    }))
  )
  const extract = extractCases(ir).flatMap(({ description, request }) =>
    ir.profiles.flatMap((profile) => {
      const switches: ReadonlyArray<boolean | undefined> = profile.legacyDefault === null ? [undefined] : [undefined, !profile.legacyDefault]
      return switches.map((legacy) => {
        const x = runtime.extract(request, legacy === undefined ? { profile: profile.name } : { profile: profile.name, legacy })
        return {
          description,
          request,
          options: legacy === undefined ? { profile: profile.name } : { profile: profile.name, legacy },
          result: {
            token: x.token ?? null,
            hasToken: x.hasToken,
            authorization: x.authorization === undefined ? null : {
              transport: x.authorization.transport,
              scheme: x.authorization.header.scheme,
              dictionary: [...x.authorization.header.dictionary]
            },
            candidates: x.candidates,
            warnings: x.warnings.map((w) => (w.transport === undefined ? { code: w.code } : { code: w.code, transport: w.transport })),
            parameters: x.parameters,
            parameterValues: x.parameterValues
          }
        }
      })
    })
  )
  return { parse, format, validate, extract }
}

/** The vectors file. */
export const emitVectors = (ir: Ir): string =>
  JSON.stringify(
    {
      $comment: headerText(ir),
      spec: ir.name,
      notes: [
        "parse: options.mode strict|compat, options.legacy (default true). ok.dictionary is the server's dictionary as [key, value] pairs in insertion order (a later duplicate keeps the first one's position).",
        "error.offset is a UTF-16 code unit offset into input.",
        "extract: header and query names are matched ignoring ASCII case; array values are repeated headers or query parameters.",
        "extract (added after the first ports; every earlier field is unchanged): result.parameters holds each parameter other than the token as the server takes it, from the scheme header it read and, where the profile has separateValues, from the spec's separate values (headers or query parameters of their own), per parameter the first non-empty value in the profile's precedence. result.parameterValues lists every such value in declared parameter order: parameter, value (header values decoded when the separate value's headerEncoding is percent), via (scheme, header or query), name (the scheme header's transport, or the header or query name) and ignored (Shadowed, or NotReadByProfile for separate values the profile does not read). Two warning codes come with them: SeparateValuesNotRead and ConflictingValues (no transport field). The cases whose description starts with \"separate values\" or mentions them are new."
      ],
      ...vectors(ir)
    },
    null,
    2
  ) + "\n"
