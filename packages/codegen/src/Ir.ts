/**
 * The intermediate representation: a checked spec with every default and shorthand resolved,
 * which is all the emitters read.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import type { Tables } from "@mbauth/runtime"
import type * as Spec from "./Spec.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface FormatStyle {
  readonly name: string
  readonly description: string
  readonly order: ReadonlyArray<string>
  readonly absent: "omit" | "empty"
  readonly separator: string
}

/**
 * A separate value with its header encoding resolved.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeparateValue {
  readonly parameter: string
  readonly header?: string
  readonly query?: string
  readonly headerEncoding: "percent" | "none"
  readonly description: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Ir {
  /** The generated module's name. */
  readonly name: string
  /** Where the spec came from, as written in the generated headers (a file name, no directories). */
  readonly source: string
  /** The first 12 hex digits of the SHA-256 of the decoded spec's canonical JSON. */
  readonly hash: string
  readonly title: string
  readonly description: string
  readonly schemes: Spec.Spec["schemes"]
  readonly grammar: Spec.Spec["grammar"]
  readonly operations: Spec.Spec["operations"]
  readonly tokenParameter: string
  readonly parameters: Spec.Spec["parameters"]
  readonly transports: Spec.Spec["transports"]
  /** Empty when the spec declares none. */
  readonly separateValues: ReadonlyArray<SeparateValue>
  readonly profiles: Spec.Spec["profiles"]
  readonly formatStyles: ReadonlyArray<FormatStyle>
  readonly examples: Spec.Spec["examples"]
}

/**
 * The hash written into generated headers: independent of the file's formatting.
 *
 * @since 0.1.0
 * @category utils
 */
export const hashSpec = (spec: Spec.Spec): string => {
  const { $schema: _, ...content } = spec
  return createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 12)
}

/**
 * Normalises a checked spec. Run the semantic checks first: this assumes names resolve.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSpec = (spec: Spec.Spec, source: string): Ir => ({
  name: spec.name,
  source,
  hash: hashSpec(spec),
  title: spec.title,
  description: spec.description,
  schemes: spec.schemes,
  grammar: spec.grammar,
  operations: spec.operations,
  tokenParameter: spec.tokenParameter,
  parameters: spec.parameters,
  transports: spec.transports,
  separateValues: (spec.separateValues ?? []).map((v) => ({
    parameter: v.parameter,
    ...(v.header === undefined ? {} : { header: v.header }),
    ...(v.query === undefined ? {} : { query: v.query }),
    headerEncoding: v.headerEncoding ?? "none",
    description: v.description
  })),
  profiles: spec.profiles,
  formatStyles: spec.formatStyles.map((style) => ({
    name: style.name,
    description: style.description,
    order: style.order === "declared" ? spec.parameters.map((p) => p.name) : style.order,
    absent: style.absent,
    separator: style.separator
  })),
  examples: spec.examples
})

/**
 * The tables the runtime algorithm reads, as the generated module declares them.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toTables = (ir: Ir): Tables => ({
  schemes: ir.schemes,
  grammar: ir.grammar,
  operations: ir.operations,
  parameters: ir.parameters,
  tokenParameter: ir.tokenParameter,
  transports: ir.transports,
  ...(ir.separateValues.length === 0 ? {} : { separateValues: ir.separateValues }),
  profiles: ir.profiles,
  formatStyles: ir.formatStyles
})
