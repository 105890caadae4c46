/**
 * The JSON Schema of the spec format, made from the same Effect Schema that decodes specs, so
 * editors can complete and check spec files (`"$schema": "…/spec.schema.json"`).
 *
 * @since 0.1.0
 */
import * as JSONSchema from "effect/JSONSchema"
import * as Spec from "./Spec.js"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (): JSONSchema.JsonSchema7Root => JSONSchema.make(Spec.Spec)

/**
 * The file's text: pretty-printed, with a trailing newline (deterministic).
 *
 * @since 0.1.0
 * @category constructors
 */
export const text = (): string => JSON.stringify(make(), null, 2) + "\n"
