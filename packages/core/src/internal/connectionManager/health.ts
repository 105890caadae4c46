/**
 * Server health as data, after `@jellyfin/sdk`'s recommended-server discovery
 * (`RecommendedServerDiscovery`: score GREAT/GOOD/OK/BAD and a list of issues per address), adapted
 * to a toolkit that speaks to Jellyfin and Emby:
 * - unreachable, unknown product name, or a version that is not a version → Bad;
 * - too old for mbauth (`MediaServer.detectProfile` says `ServerUpdateNeeded`) → Ok (reachable, but
 *   signing in needs a server update; the SDK scores its "unsupported" versions Ok too);
 * - older than the newest release line mbauth knows → Good;
 * - slower than the threshold (default 3 s, as the SDK) → Good;
 * - otherwise Great. The score is the worst of the issues'.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as ClientError from "../../ClientError.js"
import type { ProfileName } from "../../Credentials.js"
import * as MediaServer from "../../MediaServer.js"

/** How usable an address is, best first. */
export type Score = "Great" | "Good" | "Ok" | "Bad"

const order: Record<Score, number> = { Great: 3, Good: 2, Ok: 1, Bad: 0 }

/** Whether `a` is at least as good as `b`. */
export const atLeast = (a: Score, b: Score): boolean => order[a] >= order[b]

/** One thing wrong with an address. */
export type Issue = Data.TaggedEnum<{
  /** No public info from the address (refused, timed out, not a MediaBrowser server). */
  Unreachable: { readonly error: ClientError.ClientError }
  /** `ProductName` names neither Jellyfin nor Emby. */
  UnknownProduct: { readonly productName: string }
  /** The version is not a version number. */
  UnknownVersion: { readonly version: string }
  /** Older than mbauth supports: connecting gives `ServerUpdateNeeded`. */
  UnsupportedVersion: { readonly version: string; readonly minimumVersion: string }
  /** Supported, but older than the newest release line. */
  OutdatedVersion: { readonly version: string; readonly currentVersion: string }
  /** The answer took longer than the threshold. */
  SlowResponse: { readonly responseTime: Duration.Duration; readonly threshold: Duration.Duration }
}>

/** Constructors and matchers of {@link Issue}. */
export const Issue = Data.taggedEnum<Issue>()

const issueScore = (issue: Issue): Score => {
  switch (issue._tag) {
    case "Unreachable":
    case "UnknownProduct":
    case "UnknownVersion":
      return "Bad"
    case "UnsupportedVersion":
      return "Ok"
    case "OutdatedVersion":
    case "SlowResponse":
      return "Good"
  }
}

/** The health of one address. */
export interface Report {
  readonly address: string
  /** From sending the request to having the decoded answer (or the failure). */
  readonly responseTime: Duration.Duration
  readonly score: Score
  readonly issues: ReadonlyArray<Issue>
  /** What the address answered, when it answered. */
  readonly info: MediaServer.PublicInfo | undefined
  /** The profile that would sign requests, when the version is supported. */
  readonly profile: ProfileName | undefined
}

/** The newest release lines, for `OutdatedVersion`. */
export interface CurrentVersions {
  readonly Jellyfin: string
  readonly Emby: string
}

/** Jellyfin 10.11 and Emby 4.9 are the newest stable release lines mbauth was checked against. */
export const defaultCurrentVersions: CurrentVersions = { Jellyfin: "10.11.0", Emby: "4.9.0" }

/** Numeric parts of a version (`10.11.2-rc1` → [10, 11, 2]); undefined when it is not one. */
export const versionParts = (version: string): ReadonlyArray<number> | undefined => {
  const match = /^\s*v?(\d{1,9}(?:\.\d{1,9})*)/.exec(version)
  return match === null ? undefined : match[1]!.split(".").map(Number)
}

/** Compares two versions numerically, missing parts counting as 0. */
export const compareVersions = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** Options of {@link assess}. */
export interface AssessOptions {
  readonly slowAfter: Duration.Duration
  readonly currentVersions: CurrentVersions
}

/** The report for one address from the probe's outcome and response time. */
export const assess = (
  address: string,
  outcome: Either.Either<MediaServer.PublicInfo, ClientError.ClientError>,
  responseTime: Duration.Duration,
  options: AssessOptions
): Report => {
  const issues: Array<Issue> = []
  let profile: ProfileName | undefined
  const info = Either.getOrUndefined(outcome)
  if (Either.isLeft(outcome)) {
    issues.push(Issue.Unreachable({ error: outcome.left }))
  } else {
    const { productName, version, product } = outcome.right
    if (productName !== undefined && !/jellyfin|emby/i.test(productName)) {
      issues.push(Issue.UnknownProduct({ productName }))
    }
    const detected = MediaServer.detectProfile(outcome.right)
    if (Either.isRight(detected)) {
      profile = detected.right
      const parts = versionParts(version)
      const current = options.currentVersions[product]
      if (parts !== undefined && compareVersions(parts, versionParts(current) ?? []) < 0) {
        issues.push(Issue.OutdatedVersion({ version, currentVersion: current }))
      }
    } else if (detected.left.reason === "UnknownVersion") {
      issues.push(Issue.UnknownVersion({ version }))
    } else {
      issues.push(Issue.UnsupportedVersion({ version, minimumVersion: detected.left.minimumVersion }))
    }
  }
  if (Duration.greaterThan(responseTime, options.slowAfter)) {
    issues.push(Issue.SlowResponse({ responseTime, threshold: options.slowAfter }))
  }
  const score = issues.map(issueScore).reduce<Score>((worst, s) => atLeast(worst, s) ? s : worst, "Great")
  return { address, responseTime, score, issues, info, profile }
}

/** The best report: the first Great, else Good, else Ok; never a Bad one. */
export const best = (reports: ReadonlyArray<Report>): Report | undefined => {
  for (const score of ["Great", "Good", "Ok"] as const) {
    const found = reports.find((r) => r.score === score)
    if (found !== undefined) return found
  }
  return undefined
}
