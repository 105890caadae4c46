/**
 * @since 0.1.0
 */

/**
 * The `mbauth-codegen` command line as a mountable @effect/cli `Command`.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * The pipeline: generate, check, write.
 *
 * @since 0.1.0
 */
export * as Generate from "./Generate.js"

/**
 * The intermediate representation.
 *
 * @since 0.1.0
 */
export * as Ir from "./Ir.js"

/**
 * The JSON Schema of the spec format.
 *
 * @since 0.1.0
 */
export * as JsonSchema from "./JsonSchema.js"

/**
 * Reading and decoding spec files.
 *
 * @since 0.1.0
 */
export * as Load from "./Load.js"

/**
 * The spec format.
 *
 * @since 0.1.0
 */
export * as Spec from "./Spec.js"

/**
 * Spec errors.
 *
 * @since 0.1.0
 */
export * as SpecError from "./SpecError.js"

/**
 * Output targets and emitters.
 *
 * @since 0.1.0
 */
export * as Target from "./Target.js"

/**
 * Template errors.
 *
 * @since 0.1.0
 */
export * as TemplateError from "./TemplateError.js"
