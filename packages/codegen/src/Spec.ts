/**
 * The spec format: a JSON document that declares an authorization scheme in the MediaBrowser
 * family (scheme names, parameters, grammar rules, transports, server profiles, format styles).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const Text = Schema.String.annotations({ description: "Plain text." })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Scheme = Schema.Struct({
  name: Schema.String.annotations({ description: "The scheme name as written before the first space." }),
  legacy: Schema.Boolean.annotations({ description: "Accepted only while the legacy switch is on." }),
  description: Text
}).annotations({ identifier: "Scheme" })

/**
 * The grammar fields that admit one value: a spec may leave them out (spec v2), and a spec that
 * states them (spec v1) still loads, with a note. They stay in the decoded spec so that the
 * reference page states every rule.
 *
 * @since 0.1.0
 * @category constants
 */
export const fixedGrammar = {
  quoting: { strict: "required", compat: "optional" },
  escapeCharacter: null,
  quoteTrimming: "all",
  invalidUtf8: "replace",
  keyCase: "sensitive",
  segmentWithoutKey: "empty-key",
  unterminatedQuote: "accept",
  strictKeys: "alphanumeric"
} as const

const fixed = <S extends Schema.Schema.Any>(schema: S, value: () => Schema.Schema.Type<S>) =>
  Schema.optionalWith(schema, { default: value, exact: true })

/**
 * Every rule the parsers follow. The fields of `fixedGrammar` admit one value and default to it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Grammar = Schema.Struct({
  schemeMatching: Schema.Literal("case-insensitive", "case-sensitive").annotations({
    description: "How the text before the first space is compared with the scheme names (ASCII case folding)."
  }),
  quoting: fixed(
    Schema.Struct({ strict: Schema.Literal("required"), compat: Schema.Literal("optional") }),
    () => fixedGrammar.quoting
  ).annotations({ description: "Whether values must be wrapped in double quotes, per parse mode (fixed; may be left out)." }),
  escapeCharacter: fixed(Schema.Null, () => null).annotations({
    description: "There is no escape character inside quotes (fixed; may be left out)."
  }),
  quoteTrimming: fixed(Schema.Literal("all"), () => fixedGrammar.quoteTrimming).annotations({
    description: "Every leading and trailing double quote of a raw value is removed, and nothing else (fixed; may be left out)."
  }),
  valueDecoding: Schema.Literal("form-urlencoded", "percent", "none").annotations({
    description: "form-urlencoded: `+` is a space and `%XX` bytes are UTF-8; percent: only `%XX`; none: raw."
  }),
  invalidUtf8: fixed(Schema.Literal("replace"), () => fixedGrammar.invalidUtf8).annotations({
    description: "Invalid UTF-8 after percent-decoding becomes U+FFFD (compat); strict mode rejects it (fixed; may be left out)."
  }),
  duplicateKeys: Schema.Literal("last", "first").annotations({ description: "Which duplicate key wins." }),
  keyTrimming: Schema.Literal("dotnet", "ecmascript", "none").annotations({
    description: "dotnet: .NET char.IsWhiteSpace (includes U+0085, not U+FEFF); ecmascript: String.prototype.trim."
  }),
  keyCase: fixed(Schema.Literal("sensitive"), () => fixedGrammar.keyCase).annotations({
    description: "Keys are compared case-sensitively (fixed; may be left out)."
  }),
  emptySegment: Schema.Literal("keep-pending-key", "reset-key").annotations({
    description: "What an empty unquoted value does to the pending key (keep: `Token=,abc` gives Token=abc)."
  }),
  segmentWithoutKey: fixed(Schema.Literal("empty-key"), () => fixedGrammar.segmentWithoutKey).annotations({
    description: "A segment with no `=` is stored under the empty-string key (fixed; may be left out)."
  }),
  unterminatedQuote: fixed(Schema.Literal("accept"), () => fixedGrammar.unterminatedQuote).annotations({
    description: "compat: an unterminated quote runs to the end of the value and is accepted (fixed; may be left out)."
  }),
  strictKeys: fixed(Schema.Literal("alphanumeric"), () => fixedGrammar.strictKeys).annotations({
    description: "strict: keys are ASCII letters and digits (fixed; may be left out)."
  }),
  repeatedValueSeparator: Schema.String.annotations({
    description: "How the server joins repeated header or query values into one string."
  })
}).annotations({ identifier: "Grammar" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Operation = Schema.Struct({
  name: Schema.String,
  description: Text
}).annotations({ identifier: "Operation" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Parameter = Schema.Struct({
  name: Schema.String.annotations({ description: "The exact-case key." }),
  description: Text,
  secret: Schema.Boolean.annotations({ description: "Carried as Redacted in the Effect flavour." }),
  requiredFor: Schema.Array(Schema.String).annotations({
    description: "The operations that fail without a non-empty value."
  }),
  nonEmpty: Schema.optionalWith(Schema.Boolean, { default: () => false }).annotations({
    description: "An empty value is an issue even when the operation does not require the parameter."
  })
}).annotations({ identifier: "Parameter" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Transport = Schema.Struct({
  name: Schema.String.annotations({ description: "A unique name (the wire name unless two transports share it)." }),
  kind: Schema.Literal("header", "query"),
  key: Schema.String.annotations({ description: "The header or query name on the wire (case-insensitive)." }),
  carries: Schema.Literal("scheme", "token").annotations({
    description: "scheme: a full `<scheme> <parameters>` value; token: the bare token."
  }),
  deprecated: Schema.Boolean,
  discouraged: Schema.Boolean,
  replacement: Schema.optionalWith(Schema.String, { exact: true }).annotations({ description: "The transport to use instead." }),
  description: Text
}).annotations({ identifier: "Transport" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Source = Schema.Struct({
  transport: Schema.String,
  gatedByLegacy: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).annotations({ identifier: "Source" })

/**
 * A parameter that can also travel on its own, outside the scheme header, as a header or a query
 * parameter of its own (Emby's `X-Emby-Client`, …).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SeparateValue = Schema.Struct({
  parameter: Schema.String.annotations({ description: "The parameter it carries (not the token parameter)." }),
  header: Schema.optionalWith(Schema.String, { exact: true }).annotations({
    description: "The header name it travels in, if any (case-insensitive)."
  }),
  query: Schema.optionalWith(Schema.String, { exact: true }).annotations({
    description: "The query parameter name it travels in, if any (case-insensitive)."
  }),
  headerEncoding: Schema.optionalWith(Schema.Literal("percent", "none"), { exact: true }).annotations({
    description: "percent: the header value is percent-encoded (decoded as the grammar's valueDecoding); none (the default): as is."
  }),
  description: Text
}).annotations({ identifier: "SeparateValue" })

/**
 * How a profile reads the separate values.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SeparateValueReading = Schema.Struct({
  read: Schema.Array(Schema.Literal("header", "query")).annotations({
    description: "Where the profile looks for separate values, in order (the first non-empty one counts)."
  }),
  precedence: Schema.Literal("scheme-header", "separate-values").annotations({
    description: "Which wins, per parameter, when the scheme header the profile read and a separate value both give a non-empty value."
  })
}).annotations({ identifier: "SeparateValueReading" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Profile = Schema.Struct({
  name: Schema.String,
  description: Text,
  legacyDefault: Schema.NullOr(Schema.Boolean).annotations({
    description: "The legacy switch's default, or null when this server has no switch (everything is read)."
  }),
  warnDeprecated: Schema.Boolean.annotations({ description: "Whether extract warns about deprecated transports." }),
  schemeHeaderOrder: Schema.Array(Source).annotations({
    description: "Scheme headers in the order read; the next is read only while the previous is absent or empty."
  }),
  tokenOrder: Schema.Array(Source).annotations({
    description: "Token sources in precedence order; a scheme header here means its Token parameter."
  }),
  separateValues: Schema.optionalWith(SeparateValueReading, { exact: true }).annotations({
    description: "Whether and how this server reads the spec's separateValues; absent: it never does."
  })
}).annotations({ identifier: "Profile" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const FormatStyle = Schema.Struct({
  name: Schema.String,
  description: Text,
  order: Schema.Union(Schema.Literal("declared"), Schema.Array(Schema.String)).annotations({
    description: "\"declared\" (the parameters' order) or an explicit list of parameter names."
  }),
  absent: Schema.Literal("omit", "empty").annotations({ description: "Absent parameters: left out, or written as \"\"." }),
  separator: Schema.String
}).annotations({ identifier: "FormatStyle" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Example = Schema.Struct({
  description: Text,
  header: Schema.String
}).annotations({ identifier: "Example" })

/**
 * The whole spec document.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Spec = Schema.Struct({
  $schema: Schema.optionalWith(Schema.String, { exact: true }),
  name: Schema.String.annotations({ description: "The generated module's name (a PascalCase identifier)." }),
  title: Text,
  description: Text,
  schemes: Schema.Array(Scheme),
  grammar: Grammar,
  operations: Schema.Array(Operation),
  tokenParameter: Schema.String.annotations({ description: "The parameter that carries the credential." }),
  parameters: Schema.Array(Parameter),
  transports: Schema.Array(Transport),
  separateValues: Schema.optionalWith(Schema.Array(SeparateValue), { exact: true }).annotations({
    description: "Parameters that can also travel outside the scheme header, each in a header or query parameter of its own."
  }),
  profiles: Schema.Array(Profile),
  formatStyles: Schema.Array(FormatStyle),
  examples: Schema.optionalWith(Schema.Array(Example), { default: () => [] }).annotations({
    description: "Header values to include, with their parse results, in the vectors and the reference page."
  })
}).annotations({ identifier: "Spec", title: "mbauth codegen spec" })

/**
 * A decoded spec.
 *
 * @since 0.1.0
 * @category models
 */
export type Spec = typeof Spec.Type

/**
 * The JSON form of a spec (what the file holds).
 *
 * @since 0.1.0
 * @category models
 */
export type SpecEncoded = typeof Spec.Encoded
