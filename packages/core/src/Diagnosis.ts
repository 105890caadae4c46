/**
 * Why does a server answer 401? A diagnosis of a live Jellyfin or Emby server — reachable at which
 * advertised addresses, which product and version, whether legacy authorization is on, which
 * transports it reads, whether Quick Connect is on, and (given a token) which transports accept
 * the token — found with requests any client may send: no credentials, or a sign-in for a user
 * that does not exist. Each finding says its cause and its fix in one sentence each.
 *
 * How legacy authorization is told apart without credentials: Jellyfin rejects a sign-in without
 * `Client`, `Device`, `DeviceId` and `Version` with 400 before it looks the user up, and answers 401
 * for an unknown user once it has them. A sign-in whose client fields travel only in
 * `X-Emby-Authorization` (or under the `Emby` scheme name) therefore gets 401 when the server reads
 * that header and 400 when it ignores it. The token-only transports (`X-Emby-Token`,
 * `X-MediaBrowser-Token`, `api_key`) hang on the same switch (Jellyfin's `AuthorizationContext`),
 * so they are inferred from it; with a token they are checked one by one. The probes never send a
 * password, never sign anyone in, and send the token without client fields, so the server's device
 * record is not rewritten. Sources: `docs/jellyfin-12-and-emby-4.9.md`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as AuthorizationHeader from "./AuthorizationHeader.js"
import type * as ClientError from "./ClientError.js"
import * as ClientPolicy from "./ClientPolicy.js"
import * as Credentials from "./Credentials.js"
import * as Http from "./internal/httpClient.js"
import * as Profiles from "./internal/profiles.js"
import * as MediaServer from "./MediaServer.js"

/**
 * How much a finding matters: `ok` (works as a client expects), `note` (works, worth knowing),
 * `problem` (a client will get errors).
 *
 * @since 0.1.0
 * @category models
 */
export type Level = "ok" | "note" | "problem"

/**
 * What a finding is about.
 *
 * @since 0.1.0
 * @category models
 */
export type FindingCode =
  | "Unreachable"
  | "ServerUpdateNeeded"
  | "Identified"
  | "AddressUnreachable"
  | "LegacyOff"
  | "LegacyOn"
  | "NoLegacySwitch"
  | "AuthorizationHeaderLost"
  | "QuickConnectOn"
  | "QuickConnectOff"
  | "TokenAccepted"
  | "TokenRejected"
  | "TransportIgnored"
  | "NoToken"

/**
 * One finding: its cause and its fix, one sentence each (`fix` is absent when nothing needs doing).
 *
 * @since 0.1.0
 * @category models
 */
export interface Finding {
  readonly code: FindingCode
  readonly level: Level
  readonly cause: string
  readonly fix: string | undefined
}

/**
 * One transport: whether the server reads it (`probed`, or `inferred` from the profile and the
 * legacy switch), and with a token whether the server accepted the token sent this way.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportReport {
  readonly transport: Credentials.TransportName
  readonly read: boolean | undefined
  readonly evidence: "probed" | "inferred"
  readonly acceptsToken: boolean | undefined
}

/**
 * An address the server advertises, and whether it answered.
 *
 * @since 0.1.0
 * @category models
 */
export interface AddressReport {
  readonly address: string
  readonly reachable: boolean
  /** Why not, when it did not answer. */
  readonly reason: string | undefined
}

/**
 * The result of {@link diagnose}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Diagnosis {
  readonly address: string
  /** Absent when the server could not be reached or identified. */
  readonly server: MediaServer.PublicInfo | undefined
  readonly profile: Credentials.ProfileName | undefined
  /** The addresses the server advertises (besides the one given). */
  readonly addresses: ReadonlyArray<AddressReport>
  /** `EnableLegacyAuthorization` as observed; `true` for servers without the switch. */
  readonly legacy: boolean | undefined
  /** Jellyfin only. */
  readonly quickConnect: boolean | undefined
  readonly transports: ReadonlyArray<TransportReport>
  /** With a token: whether the server knows it. */
  readonly token: "accepted" | "rejected" | undefined
  readonly findings: ReadonlyArray<Finding>
}

/**
 * Options of {@link diagnose}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** What the user typed, e.g. `http://192.168.1.20:8096`. */
  readonly address: string
  /** A token (device token or API key) to check transport by transport. */
  readonly token?: Redacted.Redacted<string> | undefined
  /** Per request; default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** What the probes send as client fields: an ordinary, complete identity. */
const PROBE_CLIENT = { Client: "mbauth doctor", Device: "mbauth doctor", DeviceId: "mbauth-doctor", Version: "0.1.0" }

/** A user name no server has: the sign-in probe must fail at the user lookup. */
const PROBE_USER = "mbauth-doctor-no-such-user"

const ACCEPTED_STATUSES = [400, 401, 403, 404, 405]

const TOKEN_TRANSPORTS: ReadonlyArray<Credentials.TransportName> = ["X-Emby-Token", "X-MediaBrowser-Token", "api_key"]

const ALL_TRANSPORTS: ReadonlyArray<Credentials.TransportName> = [
  "Authorization",
  "X-Emby-Authorization",
  "X-Emby-Token",
  "X-MediaBrowser-Token",
  "ApiKey",
  "api_key"
]

const finding = (code: FindingCode, level: Level, cause: string, fix?: string): Finding => ({
  code,
  level,
  cause,
  fix
})

const schemeHeader = (params: AuthorizationHeader.Params, scheme: AuthorizationHeader.SchemeName = "MediaBrowser") =>
  AuthorizationHeader.format(params, { scheme })

/** The request that carries `token` in `transport` only (and no client fields). */
const tokenRequest = (transport: Credentials.TransportName, token: Redacted.Redacted<string>) =>
  Effect.map(schemeHeader({ Token: token }), (header) => {
    switch (transport) {
      case "Authorization":
        return { headers: { Authorization: header } }
      case "X-Emby-Authorization":
        return { headers: { "X-Emby-Authorization": header } }
      case "X-Emby-Token":
      case "X-MediaBrowser-Token":
        return { headers: { [transport]: token } }
      case "ApiKey":
      case "api_key":
        return { query: { [transport]: token } }
    }
  })

const LEGACY_NAMES = "X-Emby-Authorization, X-Emby-Token, X-MediaBrowser-Token, api_key and the Emby scheme name"

const legacyFindings = (profile: Credentials.ProfileName, legacy: boolean): ReadonlyArray<Finding> => {
  if (Profiles.profile(profile).legacyDefault === null) {
    return [
      finding(
        "NoLegacySwitch",
        "ok",
        profile === "emby"
          ? "Emby reads the token from Authorization, X-Emby-Authorization, X-Emby-Token, X-MediaBrowser-Token and api_key (not Jellyfin's ApiKey)."
          : "Jellyfin 10.10 has no legacy switch and reads every transport; Jellyfin 12 will ignore the legacy ones."
      )
    ]
  }
  return legacy
    ? [
      finding(
        "LegacyOn",
        "note",
        `Legacy authorization is on, so ${LEGACY_NAMES} still work here, but Jellyfin 12 turns it off, also on upgraded servers.`,
        "Move clients to `Authorization: MediaBrowser Token=\"…\"` (or `?ApiKey=` where no header can be sent) before upgrading."
      )
    ]
    : [
      finding(
        "LegacyOff",
        "note",
        `Legacy authorization is off (Jellyfin 12's default, also forced on upgrade), so the server ignores ${LEGACY_NAMES}: such requests arrive without a token and get 401.`,
        "Send `Authorization: MediaBrowser Token=\"…\"` (or `?ApiKey=` where no header can be sent); only for clients that cannot be updated, set EnableLegacyAuthorization to true in the server's system.xml."
      )
    ]
}

const quickConnectFinding = (enabled: boolean): Finding =>
  enabled
    ? finding("QuickConnectOn", "ok", "Quick Connect is on: a new device can sign in with a code that a signed-in user approves.")
    : finding(
      "QuickConnectOff",
      "note",
      "Quick Connect is off, so starting it answers 401 and apps offering it cannot sign in that way.",
      "An administrator turns it on in the dashboard's general settings, or users sign in with name and password."
    )

const tokenFindings = (
  profile: Credentials.ProfileName,
  legacy: boolean,
  reports: ReadonlyArray<TransportReport>
): ReadonlyArray<Finding> => {
  const accepting = reports.filter((r) => r.acceptsToken === true).map((r) => r.transport)
  if (accepting.length === 0) {
    return [
      finding(
        "TokenRejected",
        "problem",
        "The server does not know this token: it was signed out (here, by an administrator, or by a newer sign-in of the same user with the same DeviceId), or it belongs to another server.",
        "Sign in again (`mbauth server login`), and give every installation its own DeviceId so that sign-ins do not log each other out."
      )
    ]
  }
  const ignored = reports.filter((r) => r.acceptsToken === false).map((r) => r.transport)
  const ignoredFinding = ignored.length === 0 ? [] : [
    finding(
      "TransportIgnored",
      "note",
      profile === "emby"
        ? `This server ignores the token in ${ignored.join(", ")}.`
        : !legacy
        ? `This server ignores the token in ${ignored.join(", ")} because legacy authorization is off (Jellyfin 12's default).`
        : `This server ignores the token in ${ignored.join(", ")}.`,
      profile === "emby"
        ? "Send it as `X-Emby-Token`, or `?api_key=` where no header can be sent."
        : "Send `Authorization: MediaBrowser Token=\"…\"`, or `?ApiKey=` where no header can be sent."
    )
  ]
  return [
    finding("TokenAccepted", "ok", `The token is valid and accepted in ${accepting.join(", ")}.`),
    ...ignoredFinding
  ]
}

/**
 * Diagnoses the server at `options.address`. Never fails: an unreachable or unidentifiable server
 * is a finding (`Unreachable`, `ServerUpdateNeeded`) with what is known so far.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as Diagnosis from "@mbauth/core/Diagnosis"
 *
 * const program = Effect.gen(function*() {
 *   const diagnosis = yield* Diagnosis.diagnose({ address: "http://192.168.1.20:8096" })
 *   for (const f of diagnosis.findings) console.log(`${f.level}: ${f.cause} ${f.fix ?? ""}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category diagnosis
 */
export const diagnose: (options: Options) => Effect.Effect<Diagnosis, never, HttpClient.HttpClient> = Effect.fn(
  "Diagnosis.diagnose"
)(function*(options: Options) {
  const timeout = options.timeout ?? Duration.seconds(10)
  const empty: Diagnosis = {
    address: options.address,
    server: undefined,
    profile: undefined,
    addresses: [],
    legacy: undefined,
    quickConnect: undefined,
    transports: [],
    token: undefined,
    findings: []
  }
  const unreachable = (error: ClientError.ClientError | { readonly message: string }) => ({
    ...empty,
    findings: [
      finding(
        "Unreachable",
        "problem",
        `The server did not answer as Jellyfin or Emby: ${error.message}`,
        "Check the address and port (Jellyfin: 8096, Emby: 8096 with /emby), that the server runs, and that no firewall or proxy is in the way."
      )
    ]
  })

  const probed = yield* Effect.either(MediaServer.probe(options.address, { timeout }))
  if (Either.isLeft(probed)) return unreachable(probed.left)
  const server = probed.right
  const detected = MediaServer.detectProfile(server)
  if (Either.isLeft(detected)) {
    return {
      ...empty,
      server,
      findings: [finding("ServerUpdateNeeded", "problem", detected.left.message, `Update ${server.product}.`)]
    }
  }
  const profile = detected.right
  const client = yield* Effect.either(
    MediaServer.make({
      address: options.address,
      profile,
      clientInfo: { client: PROBE_CLIENT.Client, device: PROBE_CLIENT.Device, deviceId: PROBE_CLIENT.DeviceId, version: PROBE_CLIENT.Version }
    })
  )
  if (Either.isLeft(client)) return unreachable(client.left)

  const httpClient = yield* HttpClient.HttpClient
  const policy = yield* ClientPolicy.ClientPolicy
  const http = Http.make(httpClient, {
    service: `${server.product} server`,
    baseUrl: client.right.baseUrl,
    settings: ClientPolicy.merge(policy.forClient(MediaServer.POLICY_NAME), { retries: 0, timeout })
  })
  const statusOf = (request: Http.Request) =>
    Effect.map(Effect.either(http.send({ ...request, acceptStatus: ACCEPTED_STATUSES })), Either.map((r) => r.status))

  // The sign-in probe: 401 = the server read the client fields (and found no such user), 400 = it
  // did not (the fields are required before the user is looked up).
  const readsClientFields = (headers: Record<string, Redacted.Redacted<string>>) =>
    Effect.map(
      statusOf({ method: "POST", path: "Users/AuthenticateByName", headers, json: { Username: PROBE_USER, Pw: "" }, idempotent: true }),
      (status) => Either.isRight(status) ? status.right === 401 ? true : status.right === 400 ? false : undefined : undefined
    )
  const mediaBrowser = yield* Effect.orDie(schemeHeader(PROBE_CLIENT))
  const [authorization, xEmbyAuthorization] = yield* Effect.all([
    readsClientFields({ Authorization: mediaBrowser }),
    readsClientFields({ "X-Emby-Authorization": mediaBrowser })
  ])
  const hasSwitch = Profiles.profile(profile).legacyDefault !== null
  const legacy = hasSwitch ? xEmbyAuthorization : true

  const addresses = yield* Effect.forEach(
    advertised(server, options.address),
    (address) =>
      Effect.map(Effect.either(MediaServer.probe(address, { timeout })), (answer): AddressReport => ({
        address,
        reachable: Either.isRight(answer),
        reason: Either.isLeft(answer) ? answer.left.message : undefined
      })),
    { concurrency: "unbounded" }
  )

  const quickConnect = server.product === "Jellyfin"
    ? Either.getOrUndefined(yield* Effect.either(client.right.quickConnectEnabled))
    : undefined

  const acceptsToken = (transport: Credentials.TransportName) =>
    options.token === undefined ? Effect.succeed(undefined) : Effect.gen(function*() {
      const request = yield* Effect.orDie(tokenRequest(transport, options.token!))
      const status = yield* statusOf({ method: "GET", path: "System/Info", ...request, secrets: [options.token!] })
      if (Either.isLeft(status)) return undefined
      return status.right >= 200 && status.right < 300 ? true : status.right === 401 || status.right === 403 ? false : undefined
    })
  const transports = yield* Effect.forEach(ALL_TRANSPORTS, (transport) =>
    Effect.map(acceptsToken(transport), (accepts): TransportReport => {
      const probedRead = transport === "Authorization" ? authorization : transport === "X-Emby-Authorization" ? xEmbyAuthorization : undefined
      return probedRead !== undefined
        ? { transport, read: probedRead, evidence: "probed", acceptsToken: accepts }
        : {
          transport,
          read: legacy === undefined && TOKEN_TRANSPORTS.includes(transport) ? undefined : Profiles.reads(profile, transport, legacy ?? false),
          evidence: "inferred",
          acceptsToken: accepts
        }
    }))

  const findings: Array<Finding> = [
    finding("Identified", "ok", `${server.serverName} is ${server.product} ${server.version} (mbauth profile ${profile}).`),
    ...addresses.filter((a) => !a.reachable).map((a) =>
      finding(
        "AddressUnreachable",
        "note",
        `The server advertises ${a.address}, which did not answer from here (${a.reason ?? "no answer"}).`,
        "Clients racing the advertised addresses use the others; correct the published server URL in the server's network settings if this one is wrong."
      )
    ),
    ...(authorization === false
      ? [
        finding(
          "AuthorizationHeaderLost",
          "problem",
          "The server did not see the Authorization header (a sign-in with all four client fields in it got 400): a reverse proxy in front of it probably drops or rewrites the header.",
          "Configure the proxy to pass the Authorization header through unchanged."
        )
      ]
      : []),
    ...(legacy === undefined ? [] : legacyFindings(profile, legacy)),
    ...(quickConnect === undefined ? [] : [quickConnectFinding(quickConnect)]),
    ...(options.token === undefined ? [] : tokenFindings(profile, legacy ?? false, transports))
  ]
  return {
    address: options.address,
    server,
    profile,
    addresses,
    legacy,
    quickConnect,
    transports,
    token: options.token === undefined ? undefined : transports.some((t) => t.acceptsToken === true) ? "accepted" : "rejected",
    findings
  }
})

const normalized = (address: string) => address.trim().replace(/\/+$/, "").toLowerCase()

/** The addresses the server advertises, other than the one used. */
const advertised = (server: MediaServer.PublicInfo, used: string): ReadonlyArray<string> => {
  const seen = new Set([normalized(used)])
  const out: Array<string> = []
  for (const address of [server.localAddress, ...server.remoteAddresses]) {
    if (address === undefined || address.trim() === "" || seen.has(normalized(address))) continue
    seen.add(normalized(address))
    out.push(address)
  }
  return out
}

/**
 * Why a captured request (its headers and query) would get 401 from a server of `options.profile`
 * with the legacy switch at `options.legacy`: no token at all, a token in a transport the server
 * ignores (and which one to use instead), or a token the server reads — then the server does not
 * know it. Offline: nothing is sent.
 *
 * @since 0.1.0
 * @category diagnosis
 */
export const explainRequest = (request: Credentials.RequestLike, options: Credentials.Options): ReadonlyArray<Finding> => {
  const inspection = Credentials.inspect(request, options)
  const emby = inspection.profile === "emby"
  const instead = emby
    ? "Send the token as `X-Emby-Token` (or `?api_key=` where no header can be sent)."
    : "Send `Authorization: MediaBrowser Token=\"…\"` (or `?ApiKey=` where no header can be sent)."
  const ignored = inspection.candidates.filter((c) => c.ignored === "LegacyDisabled" || c.ignored === "NotReadByProfile")
  const ignoredFindings = ignored.map((c) =>
    finding(
      "TransportIgnored",
      inspection.hasToken ? "note" : "problem",
      c.ignored === "LegacyDisabled"
        ? `This server ignores ${c.transport} because legacy authorization is off (Jellyfin 12's default, also on upgraded servers).`
        : `This server (profile ${inspection.profile}) never reads ${c.transport}.`,
      instead
    )
  )
  if (!inspection.hasToken) {
    return ignored.length > 0 ? ignoredFindings : [
      finding(
        "NoToken",
        "problem",
        inspection.candidates.length > 0
          ? "The token the server reads first is empty, so the request is anonymous."
          : "The request carries no token, so it is anonymous and every endpoint that needs a user answers 401.",
        instead
      )
    ]
  }
  return [
    finding(
      "TokenRejected",
      "problem",
      `The server reads the token from ${inspection.token!.transport}, so a 401 means it does not know the token: signed out (here, by an administrator, or by a newer sign-in of the same user with the same DeviceId), or from another server.`,
      "Sign in again, and give every installation its own DeviceId so that sign-ins do not log each other out."
    ),
    ...ignoredFindings
  ]
}
