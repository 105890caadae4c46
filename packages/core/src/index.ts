/**
 * @mbauth/core: sign in to Jellyfin and Emby servers with Effect.
 *
 * @since 0.1.0
 */

/**
 * The `MediaBrowser` authorization header as Effects: parse it exactly as Jellyfin does, format it
 * the way the servers and SDKs expect, read it from and write it to `Headers`, and Schema codecs.
 *
 * @since 0.1.0
 */
export * as AuthorizationHeader from "./AuthorizationHeader.js"

/**
 * The typed errors every HTTP client fails with.
 *
 * @since 0.1.0
 */
export * as ClientError from "./ClientError.js"

/**
 * The identity a client sends with every request: `Client`, `Version`, `Device` and `DeviceId`.
 *
 * @since 0.1.0
 */
export * as ClientInfo from "./ClientInfo.js"

/**
 * Timeouts and retries of the HTTP clients, per client.
 *
 * @since 0.1.0
 */
export * as ClientPolicy from "./ClientPolicy.js"

/**
 * The multi-server connection manager: reach servers by whichever address answers first, sign in
 * and out per (server, user), Emby Connect, signed clients per server and user, server health.
 *
 * @since 0.1.0
 */
export * as ConnectionManager from "./ConnectionManager.js"

/**
 * The credential store: every server the user signed in to, keyed by ServerId, with its
 * addresses, its users and their access tokens, plus the Emby Connect identity.
 *
 * @since 0.1.0
 */
export * as CredentialStore from "./CredentialStore.js"

/**
 * What a request carries: the token (`Redacted`), the transport it came in, and the client
 * information — read the way a chosen server profile reads it.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * Stable `DeviceId`s per (install, user).
 *
 * @since 0.1.0
 */
export * as DeviceId from "./DeviceId.js"

/**
 * The Emby Connect client: password and PIN sign-in, the user's servers, logout.
 *
 * @since 0.1.0
 */
export * as EmbyConnect from "./EmbyConnect.js"

/**
 * One Jellyfin or Emby server: identify it (public info, product, profile), sign in by name and
 * password, by Emby Connect exchange or by Quick Connect, read the current user, sign out.
 *
 * @since 0.1.0
 */
export * as MediaServer from "./MediaServer.js"

/**
 * Keeping secrets out of what is shown: logs, spans, errors, excerpts and echoed input.
 *
 * @since 0.1.0
 */
export * as Redaction from "./Redaction.js"

/**
 * Client side: sign every request of an `HttpClient` the way a given server profile reads it.
 *
 * @since 0.1.0
 */
export * as RequestSigning from "./RequestSigning.js"

/**
 * Server side: authenticate requests the way a Jellyfin or Emby server does, for an `HttpServer`
 * app or an `HttpApi`.
 *
 * @since 0.1.0
 */
export * as ServerAuthentication from "./ServerAuthentication.js"

/**
 * LAN discovery of Jellyfin and Emby servers over UDP (port 7359).
 *
 * @since 0.1.0
 */
export * as ServerDiscovery from "./ServerDiscovery.js"

/**
 * Paths on a server: joins an API path given by someone else to a server's base URL, refusing
 * every form that would send the request (and its token) to another origin.
 *
 * @since 0.1.0
 */
export * as ServerPath from "./ServerPath.js"

/**
 * Transport safety: classify addresses (loopback, private, link-local, local names, public), refuse
 * to send a password over plain HTTP to a public address unless allowed, warn about tokens in URLs.
 *
 * @since 0.1.0
 */
export * as TransportSafety from "./TransportSafety.js"
