/**
 * The identity a client sends with every request: `Client`, `Version`, `Device` and `DeviceId`.
 *
 * A Jellyfin or Emby server needs all four to sign in (it creates a session for that device) and
 * uses them afterwards to show and manage the session. Build one from options or from `Config`
 * (environment variables `MBAUTH_CLIENT`, `MBAUTH_CLIENT_VERSION`, `MBAUTH_DEVICE`,
 * `MBAUTH_DEVICE_ID`); both check it with the spec's validator. Derive the DeviceId per user with
 * the `DeviceId` module.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as ClientInfo from "@mbauth/core/ClientInfo"
 *
 * const MyApp = ClientInfo.layer({ client: "My App", version: "1.2.0", device: "Living room", deviceId: "abc123" })
 *
 * const program = Effect.gen(function*() {
 *   const info = yield* ClientInfo.ClientInfo
 *   return info.client
 * }).pipe(Effect.provide(MyApp))
 * ```
 *
 * @since 0.1.0
 */
import type * as ConfigError from "effect/ConfigError"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Generated from "./generated/MediaBrowserAuthorization.js"

/**
 * The four identity fields, as sent on the wire (`Client`, `Version`, `Device`, `DeviceId`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientInfo {
  /** The application name, e.g. `"Jellyfin Web"`. */
  readonly client: string
  /** The application version, e.g. `"10.11.0"`. */
  readonly version: string
  /** A human-readable device name, e.g. `"Firefox"`. */
  readonly device: string
  /** A stable id of this device (per user: see the `DeviceId` module). */
  readonly deviceId: string
}

/**
 * The client identity of the current context.
 *
 * @since 0.1.0
 * @category tags
 */
export const ClientInfo: Context.Tag<ClientInfo, ClientInfo> = Context.GenericTag<ClientInfo>("@mbauth/core/ClientInfo")

/**
 * What a request actually said about the client: any of the four fields may be missing.
 *
 * @since 0.1.0
 * @category models
 */
export interface Partial {
  readonly client?: string
  readonly version?: string
  readonly device?: string
  readonly deviceId?: string
}

/**
 * Schema of {@link ClientInfo} (plain strings; {@link make} applies the spec's rules).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClientInfoSchema = Schema.Struct({
  client: Schema.String,
  version: Schema.String,
  device: Schema.String,
  deviceId: Schema.String
}).annotations({ identifier: "ClientInfo" })

/**
 * Schema of {@link Partial}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartialSchema = Schema.Struct({
  client: Schema.optionalWith(Schema.String, { exact: true }),
  version: Schema.optionalWith(Schema.String, { exact: true }),
  device: Schema.optionalWith(Schema.String, { exact: true }),
  deviceId: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ identifier: "PartialClientInfo" })

/**
 * One problem the spec's validator found, named by the wire parameter (`Client`, `DeviceId`, …).
 *
 * @since 0.1.0
 * @category models
 */
export const Issue = Schema.Struct({
  code: Schema.String,
  parameter: Schema.optionalWith(Schema.String, { exact: true }),
  message: Schema.String
}).annotations({ identifier: "ClientInfoIssue" })

/**
 * @since 0.1.0
 * @category models
 */
export type Issue = typeof Issue.Type

/**
 * The client identity breaks the spec's rules for signing in (e.g. a field is empty).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidClientInfo extends Schema.TaggedError<InvalidClientInfo>("@mbauth/core/ClientInfo/InvalidClientInfo")(
  "InvalidClientInfo",
  { issues: Schema.Array(Issue) }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `Invalid client info: ${this.issues.map((issue) => issue.message).join("; ")}`
  }
}

/**
 * The header parameters for `info` (no token).
 *
 * @since 0.1.0
 * @category conversions
 */
export const toParams = (
  info: ClientInfo
): { readonly Client: string; readonly Version: string; readonly DeviceId: string; readonly Device: string } => ({
  Client: info.client,
  Version: info.version,
  DeviceId: info.deviceId,
  Device: info.device
})

/**
 * The client fields present in parsed header parameters.
 *
 * @since 0.1.0
 * @category conversions
 */
export const fromParams = (params: Generated.Params | { readonly [K in keyof Generated.Params]?: unknown }): Partial => {
  const out: { client?: string; version?: string; device?: string; deviceId?: string } = {}
  if (typeof params.Client === "string") out.client = params.Client
  if (typeof params.Version === "string") out.version = params.Version
  if (typeof params.Device === "string") out.device = params.Device
  if (typeof params.DeviceId === "string") out.deviceId = params.DeviceId
  return out
}

/**
 * The spec's validation issues for `info` as the identity of a sign-in (the server needs all four
 * fields, non-empty, encodable); empty when valid.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (info: ClientInfo | Partial): ReadonlyArray<Issue> =>
  Generated.validate(
    {
      ...(info.client === undefined ? {} : { Client: info.client }),
      ...(info.version === undefined ? {} : { Version: info.version }),
      ...(info.device === undefined ? {} : { Device: info.device }),
      ...(info.deviceId === undefined ? {} : { DeviceId: info.deviceId })
    },
    "login"
  ).map((issue) => issue.parameter === undefined ? { code: issue.code, message: issue.message } : {
    code: issue.code,
    parameter: issue.parameter,
    message: issue.message
  })

/**
 * A validated client identity.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: ClientInfo) => Effect.Effect<ClientInfo, InvalidClientInfo> = Effect.fn("ClientInfo.make")(
  function*(options) {
    const issues = validate(options)
    if (issues.length > 0) return yield* new InvalidClientInfo({ issues })
    return {
      client: options.client,
      version: options.version,
      device: options.device,
      deviceId: options.deviceId
    }
  }
)

/**
 * `info` with another DeviceId (e.g. the per-user one from `DeviceId.forUser`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withDeviceId: {
  (deviceId: string): (info: ClientInfo) => ClientInfo
  (info: ClientInfo, deviceId: string): ClientInfo
} = dual(2, (info: ClientInfo, deviceId: string): ClientInfo => ({ ...info, deviceId }))

/**
 * A layer providing a validated {@link ClientInfo}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: ClientInfo): Layer.Layer<ClientInfo, InvalidClientInfo> =>
  Layer.effect(ClientInfo, make(options))

const configs = {
  client: Config.string("MBAUTH_CLIENT"),
  version: Config.string("MBAUTH_CLIENT_VERSION"),
  device: Config.string("MBAUTH_DEVICE"),
  deviceId: Config.string("MBAUTH_DEVICE_ID")
}

/**
 * The `Config` read by {@link layerConfig}: `MBAUTH_CLIENT`, `MBAUTH_CLIENT_VERSION`,
 * `MBAUTH_DEVICE` and `MBAUTH_DEVICE_ID`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<ClientInfo> = Config.all(configs)

/**
 * A layer reading the identity from `Config` (by default {@link config}; pass your own `Config`s for
 * any field to override where it comes from) and validating it.
 *
 * @example
 * ```ts
 * import * as Config from "effect/Config"
 * import * as ClientInfo from "@mbauth/core/ClientInfo"
 *
 * // MBAUTH_DEVICE etc. from the environment, but a fixed client name and version
 * const layer = ClientInfo.layerConfig({ client: Config.succeed("My App"), version: Config.succeed("1.2.0") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: { readonly [K in keyof ClientInfo]?: Config.Config<string> } | undefined
): Layer.Layer<ClientInfo, ConfigError.ConfigError | InvalidClientInfo> =>
  Layer.effect(
    ClientInfo,
    Effect.flatMap(
      Config.all({ ...configs, ...options }),
      make
    )
  )
