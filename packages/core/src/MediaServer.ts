/**
 * One Jellyfin or Emby server: identify it (`probe`, `detectProfile`), then sign in and out.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as ClientError from "./ClientError.js"
import * as ClientPolicy from "./ClientPolicy.js"
import type { ProfileName } from "./Credentials.js"
import * as Http from "./internal/httpClient.js"
import * as internal from "./internal/mediaServer/publicInfo.js"

/**
 * The client name used to look up the {@link ClientPolicy.ClientPolicy} settings.
 *
 * @since 0.1.0
 * @category constants
 */
export const POLICY_NAME = "MediaServer"

const PROBE_SERVICE = "Jellyfin/Emby server"

// ---------------------------------------------------------------------------------------------
// Public info, probing, detection
// ---------------------------------------------------------------------------------------------

/**
 * What `GET {address}/System/Info/Public` (Jellyfin) or `{address}/emby/System/Info/Public` (Emby)
 * answers, without authentication.
 *
 * @since 0.1.0
 * @category models
 */
export interface PublicInfo {
  /** The ServerId: the key to keep servers, users and tokens by. */
  readonly id: string
  /** `ServerName`; the Id when the server has no name. */
  readonly serverName: string
  readonly version: string
  /** `"Jellyfin Server"`, `"Emby Server"`; absent on old servers. */
  readonly productName: string | undefined
  readonly localAddress: string | undefined
  /** `WanAddress` and `RemoteAddresses`, when given. */
  readonly remoteAddresses: ReadonlyArray<string>
  readonly product: "Jellyfin" | "Emby"
}

/**
 * The server is too old for mbauth (or does not say its version), so no profile can sign its
 * requests. Supported: Jellyfin 10.10 and newer, Emby 4.7 and newer.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerUpdateNeeded extends Schema.TaggedError<ServerUpdateNeeded>(
  "@mbauth/core/MediaServer/ServerUpdateNeeded"
)("ServerUpdateNeeded", {
  product: Schema.Literal("Jellyfin", "Emby"),
  /** The version the server reports. */
  version: Schema.String,
  /** The oldest version mbauth supports for this product. */
  minimumVersion: Schema.String,
  serverName: Schema.String,
  /** `TooOld`, or `UnknownVersion` when the reported version is not a version number. */
  reason: Schema.Literal("TooOld", "UnknownVersion")
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const what = this.reason === "TooOld"
      ? `runs ${this.product} ${this.version}`
      : `reports the version ${JSON.stringify(this.version)}, which is not a version number`
    return `The server ${this.serverName} ${what}; mbauth needs ${this.product} ${this.minimumVersion} or newer. ` +
      `Update the server.`
  }
}

/**
 * The profile that signs requests for a server, from its product and version:
 * - Jellyfin 10.10.x → `jellyfin-10.10`; 10.11.x (and anything before 12, though 10.12–11.x were
 *   never released) → `jellyfin-10.11`; 12 and later → `jellyfin-12`; older → {@link ServerUpdateNeeded};
 * - Emby 4.7 and later → `emby`; older → {@link ServerUpdateNeeded}. The cut-off is the oldest
 *   release line the profile was checked against (4.7 clients and servers send identity and token
 *   as the profile does); older Emby servers are years out of support.
 *
 * @since 0.1.0
 * @category detection
 */
export const detectProfile = (info: PublicInfo): Either.Either<ProfileName, ServerUpdateNeeded> =>
  Either.mapLeft(
    internal.profileFor(info.product, info.version),
    (tooOld) => new ServerUpdateNeeded({ ...tooOld, serverName: info.serverName })
  )

/**
 * Options of {@link probe}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProbeOptions {
  /** Per request; default: the `MediaServer` client policy's timeout (15 s). */
  readonly timeout?: Duration.DurationInput | undefined
}

const decodePublicInfo = Http.decodeJson(internal.WirePublicInfo)

/** The `/emby` (or `/mediabrowser`) prefix of an Emby base URL, when the address already has it. */
const hasEmbyPrefix = (address: string): boolean => {
  try {
    return /\/(emby|mediabrowser)\/?$/i.test(new URL(address).pathname)
  } catch {
    return false
  }
}

// Falls back to the `/emby` path when the first answer is not public info: a 404, or a web page.
const tryEmbyPath = (error: ClientError.ClientError): boolean =>
  error._tag === "UnexpectedResponse" && (error.status === 404 || (error.status >= 200 && error.status < 300))

/**
 * Probes one address: an unauthenticated `GET {address}/System/Info/Public`, then, if that is
 * not public info (404, or a web page) and the address has no `/emby` path yet,
 * `GET {address}/emby/System/Info/Public` (Emby serves its API under `/emby`). Each request has the
 * timeout; there are no retries (a connection manager races addresses instead).
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as MediaServer from "@mbauth/core/MediaServer"
 *
 * const identify = (address: string) =>
 *   Effect.gen(function*() {
 *     const info = yield* MediaServer.probe(address, { timeout: "3 seconds" })
 *     const profile = yield* MediaServer.detectProfile(info) // fails with ServerUpdateNeeded
 *     return { serverId: info.id, name: info.serverName, profile }
 *   })
 * ```
 *
 * @since 0.1.0
 * @category probing
 */
export const probe: (
  address: string,
  options?: ProbeOptions
) => Effect.Effect<PublicInfo, ClientError.ClientError, HttpClient.HttpClient> = Effect.fn("MediaServer.probe")(
  function*(address: string, options?: ProbeOptions) {
    const httpClient = yield* HttpClient.HttpClient
    const policy = yield* ClientPolicy.ClientPolicy
    const settings = ClientPolicy.merge(policy.forClient(POLICY_NAME), {
      retries: 0,
      ...(options?.timeout === undefined ? {} : { timeout: options.timeout })
    })
    const http = Http.make(httpClient, { service: PROBE_SERVICE, baseUrl: address, settings })
    const get = (path: string) =>
      Effect.flatMap(http.send({ method: "GET", path }), (response) => decodePublicInfo(PROBE_SERVICE, response))
    const wire = yield* hasEmbyPrefix(address)
      ? get("System/Info/Public")
      : get("System/Info/Public").pipe(
        Effect.catchIf(tryEmbyPath, (first) =>
          Effect.catchAll(get("emby/System/Info/Public"), (second) =>
            // Neither path had public info: the first answer says best what is there instead.
            Effect.fail(second._tag === "UnexpectedResponse" ? first : second)))
      )
    return internal.toPublicInfo(wire)
  }
)
