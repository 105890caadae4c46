/**
 * What the connection manager reports: the connection to a reached server and the state a UI
 * switches on.
 *
 * @internal
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import type * as ClientError from "../../ClientError.js"
import type { ProfileName } from "../../Credentials.js"
import type * as MediaServer from "../../MediaServer.js"
import type { ConnectionMode, Server } from "../credentialStore/schema.js"
import type { Attempt, ServerIdMismatch, ServerUnavailable } from "./errors.js"

/** A server reached in this session: where, how, and what it is. */
export interface Connection {
  readonly serverId: string
  readonly serverName: string
  readonly product: "Jellyfin" | "Emby"
  readonly version: string
  /** The address that answered first. */
  readonly address: string
  /** Which saved address that is. */
  readonly mode: typeof ConnectionMode.Type
  /** The profile that signs its requests. */
  readonly profile: ProfileName
  /** How long the winning probe took. */
  readonly responseTime: Duration.Duration
  /** The addresses that failed before (or while) this one answered. */
  readonly failedAttempts: ReadonlyArray<Attempt>
}

/** A user of a server. */
export interface User {
  readonly id: string
  readonly name: string | undefined
}

/** Why a reached server needs a sign-in. */
export type SignInReason =
  /** No saved user of this server has a token. */
  | "NoToken"
  /** The saved token was rejected (revoked, expired); it was cleared. */
  | "TokenRevoked"
  /** The Emby Connect exchange failed (the AccessKey was revoked, or the server cannot reach Connect). */
  | "ExchangeFailed"

/** The result of connecting, for a UI to switch on. */
export type ConnectionState = Data.TaggedEnum<{
  /** Reached and signed in: `client(serverId, user.id)` gives a signed client. */
  SignedIn: {
    readonly connection: Connection
    readonly user: User
    /** How: a saved token checked now, a fresh Connect exchange, or a sign-in just now. */
    readonly via: "Token" | "ConnectExchange" | "Password"
  }
  /** Reached, but a user must sign in (`signIn`). `users` are the saved users of the server (to offer "sign in as …"). */
  ServerSignIn: {
    readonly connection: Connection
    readonly reason: SignInReason
    readonly users: ReadonlyArray<User>
    /** Why the exchange or the token check failed, when one did. */
    readonly error: ClientError.ClientError | MediaServer.OperationUnavailable | undefined
  }
  /** No server is saved and Emby Connect is available but not signed in: offer Connect sign-in (or an address). */
  ConnectSignIn: {}
  /** Let the user pick a server (or type an address): `servers` is every saved server, most recently used first. */
  ServerSelection: { readonly servers: ReadonlyArray<Server> }
  /** The server could not be reached at any address. */
  Unavailable: { readonly serverId: string | undefined; readonly attempts: ReadonlyArray<Attempt> }
  /** The server answered but is too old. */
  ServerUpdateNeeded: { readonly serverId: string; readonly address: string; readonly error: MediaServer.ServerUpdateNeeded }
}>

/** Constructors, guards and matchers of {@link ConnectionState}. */
export const ConnectionState = Data.taggedEnum<ConnectionState>()

/** The result of a sign-out. */
export interface SignOutResult {
  readonly serverId: string
  readonly userId: string
  /** Whether the server confirmed the token is revoked. The token is cleared locally either way. */
  readonly revoked: boolean
  /** Why the server could not revoke it (unreachable, timeout …). */
  readonly error: ClientError.ClientError | ServerUnavailable | ServerIdMismatch | MediaServer.ServerUpdateNeeded | undefined
}

/** The result of an Emby Connect sign-in. */
export interface ConnectSignedIn {
  readonly userId: string
  /** Every saved server after applying Connect's list, most recently used first. */
  readonly servers: ReadonlyArray<Server>
  /** Why the server list could not be refreshed (the saved servers were kept). */
  readonly serversError: ClientError.ClientError | undefined
}
