/**
 * The peers and baselines mbauth is measured against, loaded as their users load them.
 *
 * `auth-header` ships no types and `@jellyfin/sdk`'s declaration files use extension-less
 * relative imports that NodeNext cannot follow, so both are typed here by hand (only what the
 * benchmarks call).
 *
 * @since 0.1.0
 */
import * as JellyfinSdk from "@jellyfin/sdk"
import { createRequire } from "node:module"

/**
 * What `auth-header`'s `parse` returns.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthHeaderToken {
  readonly scheme: string
  readonly params: Readonly<Record<string, string | ReadonlyArray<string>>>
  readonly token: string | ReadonlyArray<string> | null
}

// A CommonJS package: `require` is what its users write, and it keeps esbuild out of the way.
const authHeader = createRequire(import.meta.url)("auth-header") as {
  readonly parse: (value: string) => AuthHeaderToken
}

/**
 * `auth-header`'s generic RFC 7235 parser (it throws on a bad scheme; it does not URL-decode).
 *
 * @since 0.1.0
 * @category peers
 */
export const authHeaderParse: (value: string) => AuthHeaderToken = authHeader.parse

/**
 * @since 0.1.0
 * @category models
 */
export interface SdkClientInfo {
  readonly name: string
  readonly version: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface SdkDeviceInfo {
  readonly name: string
  readonly id: string
}

/**
 * `@jellyfin/sdk`'s `getAuthorizationHeader`, what every SDK request carries.
 *
 * @since 0.1.0
 * @category peers
 */
export const sdkAuthorizationHeader = (JellyfinSdk as unknown as {
  readonly utils: {
    readonly getAuthorizationHeader: (client: SdkClientInfo, device: SdkDeviceInfo, accessToken?: string) => string
  }
}).utils.getAuthorizationHeader

const paramPattern = /([A-Za-z0-9]+)="([^"]*)"/g

/**
 * The hand-written parser a project would write instead of a library: a regex over `key="value"`
 * pairs and `decodeURIComponent` on each value (guarded, since it throws on a stray `%`).
 *
 * @since 0.1.0
 * @category baselines
 */
export const regexParse = (
  value: string
): { readonly scheme: string; readonly params: Record<string, string> } | undefined => {
  const space = value.indexOf(" ")
  if (space <= 0) return undefined
  const params: Record<string, string> = {}
  paramPattern.lastIndex = space + 1
  for (let m = paramPattern.exec(value); m !== null; m = paramPattern.exec(value)) {
    const raw = m[2]!
    try {
      params[m[1]!] = decodeURIComponent(raw)
    } catch {
      params[m[1]!] = raw
    }
  }
  return { scheme: value.slice(0, space), params }
}
