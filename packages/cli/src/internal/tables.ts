/**
 * The choice lists the command definitions need at start-up (for parsing, help and completions).
 *
 * @internal
 */

/** @internal */
export const formatStyles = ["canonical", "jellyfin-sdk"] as const
/** @internal */
export const schemeNames = ["MediaBrowser", "Emby"] as const
/** @internal */
export const formatTransports = ["value", "header", "curl", "query"] as const
/** @internal */
export const schemeHeaderNames = ["Authorization", "X-Emby-Authorization"] as const
/** @internal */
export const parseModes = ["strict", "compat"] as const
/** @internal */
export const profileNames = ["jellyfin-10.10", "jellyfin-10.11", "jellyfin-12", "emby"] as const
