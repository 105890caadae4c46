// The `effect` target: an Effect Schema flavour over the zero-dependency module.
import type { Ir } from "../Ir.js"
import { tsHeader } from "./header.js"
import { jsdoc } from "./literal.js"

const doc = (lines: ReadonlyArray<string>, category: string): string =>
  jsdoc([...lines, ...(lines.length > 0 ? [""] : []), "@since 0.1.0", `@category ${category}`])

/** The Effect flavour module; `plain` is the zero-dependency module's file name without extension. */
export const emitEffect = (ir: Ir, plain: string): string => {
  const fields = ir.parameters.map((p) => {
    const type = p.secret ? "Schema.Redacted(Schema.String)" : "Schema.String"
    return `  ${p.name}: Schema.optionalWith(${type}, { exact: true }).annotations({ description: ${
      JSON.stringify(p.description)
    } })`
  })
  const convert = (from: "params", wrap: (name: string) => string) =>
    ir.parameters.map((p) => `  if (${from}.${p.name} !== undefined) out.${p.name} = ${p.secret ? wrap(`${from}.${p.name}`) : `${from}.${p.name}`}`)
  const secrets = ir.parameters.filter((p) => p.secret).map((p) => p.name)
  return `${tsHeader(ir)}${
    jsdoc([
      `${ir.title}: the Effect Schema flavour of ./${plain}.js.`,
      "",
      `\`Params\` is a schema of the known parameters${
        secrets.length > 0 ? ` (${secrets.join(", ")} as \`Redacted\`)` : ""
      }; \`HeaderStrict\` and \`HeaderCompat\` are`,
      "string ⇄ Params codecs over the same parse and format.",
      "",
      "@since 0.1.0"
    ])
  }
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Plain from "./${plain}.js"

${doc(["The known parameters, secrets redacted."], "schemas")}
export const Params = Schema.Struct({
${fields.join(",\n")}
}).annotations({ identifier: ${JSON.stringify(`${ir.name}.Params`)}, description: ${
    JSON.stringify(`The known parameters of ${ir.name}.`)
  } })

${doc([], "models")}
export type Params = typeof Params.Type

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

${doc(["The wire form of the parameters. `Redacted.value` is only called here, to build the header."], "conversions")}
export const toPlain = (params: Params): Plain.Params => {
  const out: Mutable<Plain.Params> = {}
${convert("params", (v) => `Redacted.value(${v})`).join("\n")}
  return out
}

${doc(["Wraps the secret parameters of plain (parsed) parameters in `Redacted`."], "conversions")}
export const fromPlain = (params: Plain.Params): Params => {
  const out: Mutable<Params> = {}
${convert("params", (v) => `Redacted.make(${v})`).join("\n")}
  return out
}

${doc(["How a header codec parses and formats."], "models")}
export interface HeaderOptions {
  readonly mode?: Plain.ParseMode
  readonly legacy?: boolean
  readonly style?: Plain.FormatStyle
  readonly scheme?: string
}

${
    doc([
      "A string ⇄ Params codec. A decoding failure's message carries the parse error's code, offset and message,",
      "never the header's values; the failure's own issue holds the header wrapped in `Redacted`."
    ], "codecs")
  }
export const makeHeader = (
  options: HeaderOptions = {}
): Schema.transformOrFail<typeof Schema.String, Schema.SchemaClass<Params>> => {
  const parseOptions: Plain.ParseOptions = {
    mode: options.mode ?? "compat",
    ...(options.legacy === undefined ? {} : { legacy: options.legacy })
  }
  const formatOptions: Plain.FormatOptions = {
    ...(options.style === undefined ? {} : { style: options.style }),
    ...(options.scheme === undefined ? {} : { scheme: options.scheme })
  }
  return Schema.transformOrFail(Schema.String, Schema.typeSchema(Params), {
    strict: true,
    decode: (header, _, ast) => {
      const result = Plain.parse(header, parseOptions)
      if (result._tag === "Ok") return ParseResult.succeed(fromPlain(result.value.params))
      const { code, message, offset } = result.error
      return ParseResult.fail(new ParseResult.Type(ast, Redacted.make(header), \`\${code} at offset \${offset}: \${message}\`))
    },
    encode: (params, _, ast) => {
      const result = Plain.format(toPlain(params), formatOptions)
      return result._tag === "Ok"
        ? ParseResult.succeed(result.value)
        : ParseResult.fail(new ParseResult.Type(ast, params, \`\${result.error.code}: \${result.error.message}\`))
    }
  }).annotations({ identifier: ${JSON.stringify(`${ir.name}.Header`)} })
}

${doc(["Decodes with the strict grammar; encodes in the canonical style."], "codecs")}
export const HeaderStrict = makeHeader({ mode: "strict" })

${doc(["Decodes exactly as the server does; encodes in the canonical style."], "codecs")}
export const HeaderCompat = makeHeader({ mode: "compat" })
`
}
