/**
 * The choice lists the command definitions need at start-up (for parsing, help and completions),
 * taken from the generated tables so a spec change shows up in the CLI without edits here.
 *
 * @internal
 */
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"

/** @internal */
export const formatStyles = Generated.FORMAT_STYLES.map((style) => style.name)
/** @internal */
export const schemeNames = Generated.SCHEMES.map((scheme) => scheme.name)
/** @internal */
export const schemeHeaderNames = Generated.TRANSPORTS.filter((t) => t.carries === "scheme").map((t) =>
  t.name as Generated.SchemeHeaderName
)
/** @internal */
export const profileNames = Generated.PROFILES.map((profile) => profile.name)
/** @internal */
export const parseModes = ["strict", "compat"] as const satisfies ReadonlyArray<Generated.ParseMode>
/** What `header format --transport` prints. */
export const formatTransports = ["value", "header", "curl", "query"] as const
