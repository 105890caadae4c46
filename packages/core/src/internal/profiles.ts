import * as Generated from "../generated/MediaBrowserAuthorization.js"

type Profile = (typeof Generated.PROFILES)[number]

export const profile = (name: Generated.ProfileName): Profile => {
  // PROFILES is generated from the spec and ProfileName from the same table, so the lookup succeeds
  // for every well-typed name; an untyped caller gets the first profile rather than a throw.
  return Generated.PROFILES.find((p) => p.name === name) ?? Generated.PROFILES[0]!
}

export const isProfileName = (name: unknown): name is Generated.ProfileName =>
  Generated.PROFILES.some((p) => p.name === name)

/**
 * The legacy switch in effect: the caller's value, else the profile's default. Profiles without the
 * switch (`legacyDefault: null`, Jellyfin ≤ 10.10) accept every legacy method, so they report `true`.
 */
export const resolveLegacy = (name: Generated.ProfileName, legacy: boolean | undefined): boolean => {
  const p = profile(name)
  return p.legacyDefault === null ? true : legacy ?? p.legacyDefault
}

const transports = new Map(Generated.TRANSPORTS.map((t) => [t.name, t] as const))

export const transport = (name: Generated.TransportName) => transports.get(name)!

/**
 * Whether the profile reads `name` (as a scheme header or a token source) with the legacy switch at
 * `legacy`.
 */
export const reads = (name: Generated.ProfileName, transportName: Generated.TransportName, legacy: boolean): boolean => {
  const p = profile(name)
  const entries: ReadonlyArray<{ readonly transport: string; readonly gatedByLegacy: boolean }> = [
    ...p.schemeHeaderOrder,
    ...p.tokenOrder
  ]
  return entries.some((entry) => entry.transport === transportName && (legacy || !entry.gatedByLegacy))
}

/** Whether the profile reads the client information as separate values of `kind` (Emby's `X-Emby-*`). */
export const readsSeparateValues = (name: Generated.ProfileName, kind: "header" | "query"): boolean => {
  const p = profile(name)
  return "separateValues" in p && p.separateValues.read.some((read) => read === kind)
}
