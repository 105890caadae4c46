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
  const toPlain = ir.parameters.map((p) =>
    `  if (params.${p.name} !== undefined) out.${p.name} = ${p.secret ? `Redacted.value(params.${p.name})` : `params.${p.name}`}`
  )
  const fromPlain = ir.parameters.map((p) =>
    `  if (params.${p.name} !== undefined) out.${p.name} = ${p.secret ? `Redacted.make(params.${p.name})` : `params.${p.name}`}`
  )
  const secrets = ir.parameters.filter((p) => p.secret).map((p) => p.name)
  return `${tsHeader(ir)}${
    jsdoc([
      `${ir.title}: the Effect Schema flavour of ./${plain}.js.`,
      "",
      `\`Params\` is a schema of the known parameters${
        secrets.length > 0 ? ` (${secrets.join(", ")} as \`Redacted\`)` : ""
      }; \`HeaderStrict\` and`,
      "`HeaderCompat` are string ⇄ Params codecs built on the same parse and format. Regenerate instead of editing.",
      "",
      "@since 0.1.0"
    ])
  }
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
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
${toPlain.join("\n")}
  return out
}

${doc(["Wraps the secret parameters of plain (parsed) parameters in `Redacted`."], "conversions")}
export const fromPlain = (params: Plain.Params): Params => {
  const out: Mutable<Params> = {}
${fromPlain.join("\n")}
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
      "A string ⇄ Params codec (the secret parameters are redacted by `Params` itself). A decoding failure carries",
      "the parse error's code, offset and message, never the header (it holds a token): its issues hold the",
      "header wrapped in `Redacted`.",
      "",
      "It is a `Schema.declare` node whose one type parameter, `typeParameters[0]`, is the codec written as a",
      "transformation from `Schema.String` to the type side of `Params`. The node decodes a string with `parse`",
      "and the wrapping of the secrets alone; a transformation node would also check the string, then the",
      "parser's output (which the parser guarantees), with a closure and an `Either` per step: several times",
      "the cost of the parse. Other input, encoding, `is` and `typeSchema` use the transformation, and so do",
      "`JSONSchema.make` (a string), `Arbitrary`, `Pretty` and equivalence. `encodedSchema` of the node accepts",
      "strings but has no annotations: use `encodedSchema(typeParameters[0])`."
    ], "codecs")
  }
export const makeHeader = (options: HeaderOptions = {}): Schema.declare<
  Params,
  string,
  readonly [Schema.transformOrFail<typeof Schema.String, Schema.SchemaClass<Params>>]
> => {
  const parseOptions: Plain.ParseOptions = {
    mode: options.mode ?? "compat",
    ...(options.legacy === undefined ? {} : { legacy: options.legacy })
  }
  const formatOptions: Plain.FormatOptions = {
    ...(options.style === undefined ? {} : { style: options.style }),
    ...(options.scheme === undefined ? {} : { scheme: options.scheme })
  }
  const parseIssue = (error: Plain.ParseError, header: string, ast: SchemaAST.Transformation) =>
    new ParseResult.Type(
      ast,
      Redacted.make(header),
      \`\${error.code} at offset \${error.offset}: \${error.message}\`
    )
  const identifier = ${JSON.stringify(`${ir.name}.Header`)}
  const codec = Schema.transformOrFail(Schema.String, Schema.typeSchema(Params), {
    strict: true,
    decode: (value, _, ast) => {
      const result = Plain.parse(value, parseOptions)
      return result._tag === "Ok"
        ? ParseResult.succeed(fromPlain(result.value.params))
        : ParseResult.fail(parseIssue(result.error, value, ast))
    },
    encode: (params, _, ast) => {
      const result = Plain.format(toPlain(params), formatOptions)
      return result._tag === "Ok"
        ? ParseResult.succeed(result.value)
        : ParseResult.fail(new ParseResult.Type(ast, params, \`\${result.error.code}: \${result.error.message}\`))
    }
  }).annotations({ identifier })
  return Schema.declare([codec], {
    // \`self\` is \`codec\`, or its type or encoded side when Schema projects this node (\`typeSchema\`, \`is\` …).
    decode: (self) => {
      const general = ParseResult.decodeUnknown(self)
      const ast = self.ast
      if (ast !== codec.ast || !SchemaAST.isTransformation(ast)) return general
      return (input, schemaOptions) => {
        if (typeof input !== "string") return general(input, schemaOptions)
        const result = Plain.parse(input, parseOptions)
        if (result._tag === "Ok") return ParseResult.succeed(fromPlain(result.value.params))
        // The transformation's issue, except that its outer level gets the header redacted too.
        const issue = parseIssue(result.error, input, ast)
        return ParseResult.fail(new ParseResult.Transformation(ast, issue.actual, "Transformation", issue))
      }
    },
    encode: (self) => ParseResult.encodeUnknown(self)
  }, {
    identifier,
    [SchemaAST.SurrogateAnnotationId]: codec.ast,
    arbitrary: (arbitrary) => arbitrary,
    pretty: (pretty) => pretty,
    equivalence: (equivalence) => equivalence
  })
}

${doc(["Decodes with the strict grammar; encodes in the canonical style."], "codecs")}
export const HeaderStrict = makeHeader({ mode: "strict" })

${doc(["Decodes exactly as the server does; encodes in the canonical style."], "codecs")}
export const HeaderCompat = makeHeader({ mode: "compat" })
`
}
