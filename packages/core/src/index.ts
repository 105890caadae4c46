/**
 * @since 0.1.0
 */
export * as ClientError from "./ClientError.js"

/**
 * @since 0.1.0
 */
export * as ClientPolicy from "./ClientPolicy.js"

/**
 * @since 0.1.0
 */
export * as EmbyConnect from "./EmbyConnect.js"
