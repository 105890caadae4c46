/**
 * What Jellyfin and Emby servers send for sign-in, the current user, the Connect exchange and
 * Quick Connect, and the mapping to the public models. Only the fields mbauth uses are required;
 * everything else is ignored (servers add fields in every release).
 *
 * @internal
 */
import * as Schema from "effect/Schema"

const Text = Schema.optional(Schema.NullOr(Schema.String))

/** Ids are strings (Jellyfin: 32 hex digits; Emby: numbers or GUIDs); tolerate a bare number. */
export const WireId = Schema.Union(
  Schema.NonEmptyString,
  Schema.transform(Schema.Int, Schema.String, { strict: true, decode: (n) => String(n), encode: (s) => Number(s) })
)

export const WireUser = Schema.Struct({
  Id: WireId,
  Name: Schema.String,
  ServerId: Text,
  HasPassword: Schema.optional(Schema.NullOr(Schema.Boolean)),
  Policy: Schema.optional(Schema.NullOr(Schema.Struct({ IsAdministrator: Schema.optional(Schema.NullOr(Schema.Boolean)) })))
})

export const WireSession = Schema.Struct({
  Id: Text,
  UserId: Text,
  Client: Text,
  DeviceName: Text,
  DeviceId: Text,
  ApplicationVersion: Text
})

const Token = Schema.Redacted(Schema.NonEmptyString)

export const WireAuthenticationResult = Schema.Struct({
  User: WireUser,
  SessionInfo: Schema.optional(Schema.NullOr(WireSession)),
  AccessToken: Token,
  ServerId: Text
})

export const WireExchange = Schema.Struct({ LocalUserId: WireId, AccessToken: Token })

export const WireQuickConnect = Schema.Struct({
  Authenticated: Schema.optional(Schema.NullOr(Schema.Boolean)),
  Secret: Token,
  Code: Schema.NonEmptyString,
  DateAdded: Text
})

export const text = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === "" ? undefined : value

/** The user as the public model has it. */
export interface User {
  readonly id: string
  readonly name: string
  readonly serverId?: string | undefined
  readonly hasPassword?: boolean | undefined
  readonly isAdministrator?: boolean | undefined
}

export const toUser = (wire: typeof WireUser.Type): User => {
  const serverId = text(wire.ServerId)
  const isAdministrator = wire.Policy?.IsAdministrator
  return {
    id: wire.Id,
    name: wire.Name,
    ...(serverId === undefined ? {} : { serverId }),
    ...(wire.HasPassword === undefined || wire.HasPassword === null ? {} : { hasPassword: wire.HasPassword }),
    ...(isAdministrator === undefined || isAdministrator === null ? {} : { isAdministrator })
  }
}

/** The session a sign-in created. */
export interface Session {
  readonly id?: string | undefined
  readonly client?: string | undefined
  readonly deviceName?: string | undefined
  readonly deviceId?: string | undefined
  readonly applicationVersion?: string | undefined
}

export const toSession = (wire: typeof WireSession.Type | null | undefined): Session | undefined => {
  if (wire === null || wire === undefined) return undefined
  const out: { -readonly [K in keyof Session]: Session[K] } = {}
  const id = text(wire.Id)
  const client = text(wire.Client)
  const deviceName = text(wire.DeviceName)
  const deviceId = text(wire.DeviceId)
  const applicationVersion = text(wire.ApplicationVersion)
  if (id !== undefined) out.id = id
  if (client !== undefined) out.client = client
  if (deviceName !== undefined) out.deviceName = deviceName
  if (deviceId !== undefined) out.deviceId = deviceId
  if (applicationVersion !== undefined) out.applicationVersion = applicationVersion
  return out
}
