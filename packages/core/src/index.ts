/**
 * The credential store: every server the user signed in to, keyed by ServerId, with its
 * addresses, its users and their access tokens, plus the Emby Connect identity.
 *
 * @since 0.1.0
 */
export * as CredentialStore from "./CredentialStore.js"
