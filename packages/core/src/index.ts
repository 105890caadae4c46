/**
 * The typed errors every HTTP client fails with.
 *
 * @since 0.1.0
 */
export * as ClientError from "./ClientError.js"

/**
 * Timeouts and retries of the HTTP clients, per client.
 *
 * @since 0.1.0
 */
export * as ClientPolicy from "./ClientPolicy.js"

/**
 * The credential store: every server the user signed in to, keyed by ServerId, with its
 * addresses, its users and their access tokens, plus the Emby Connect identity.
 *
 * @since 0.1.0
 */
export * as CredentialStore from "./CredentialStore.js"

/**
 * The Emby Connect client.
 *
 * @since 0.1.0
 */
export * as EmbyConnect from "./EmbyConnect.js"
