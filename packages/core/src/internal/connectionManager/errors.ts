/**
 * Typed errors of the connection manager. None carries a secret: addresses are normalised (no
 * user info, query or fragment) and attempts carry client errors, which are secret-free.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as ClientError from "../../ClientError.js"

/** @internal */
export class ServerIdMismatch extends Schema.TaggedError<ServerIdMismatch>(
  "@mbauth/core/ConnectionManager/ServerIdMismatch"
)("ServerIdMismatch", {
  /** The saved ServerId. */
  expected: Schema.String,
  /** The Id the address answered with. */
  actual: Schema.String,
  address: Schema.String,
  /** The name the other server reports. */
  serverName: Schema.String
}) {
  override get message(): string {
    return `The server at ${this.address} is "${this.serverName}" (Id ${this.actual}), not the saved server ${this.expected}: ` +
      `another server now answers at this address, or the server was reinstalled. The saved credentials were kept. ` +
      `Add the address as a new server, or remove the saved one.`
  }
}

/** @internal */
export class InvalidAddress extends Schema.TaggedError<InvalidAddress>("@mbauth/core/ConnectionManager/InvalidAddress")(
  "InvalidAddress",
  {
    /** What was given, without user info, query or fragment. */
    input: Schema.String,
    reason: Schema.String
  }
) {
  override get message(): string {
    return `"${this.input}" is not a server address: ${this.reason}. Enter e.g. 192.168.1.10:8096 or https://media.example.com.`
  }
}

/** @internal */
export class UnknownServer extends Schema.TaggedError<UnknownServer>("@mbauth/core/ConnectionManager/UnknownServer")(
  "UnknownServer",
  { serverId: Schema.String }
) {
  override get message(): string {
    return `No server with Id ${this.serverId} is saved. Connect to its address first.`
  }
}

/** @internal */
export class NotSignedIn extends Schema.TaggedError<NotSignedIn>("@mbauth/core/ConnectionManager/NotSignedIn")(
  "NotSignedIn",
  {
    serverId: Schema.String,
    /** The user asked for; absent when no user of the server has a token. */
    userId: Schema.optional(Schema.String)
  }
) {
  override get message(): string {
    return this.userId === undefined
      ? `Nobody is signed in to server ${this.serverId}. Sign in first.`
      : `User ${this.userId} is not signed in to server ${this.serverId}. Sign in first.`
  }
}

/** One address that did not lead to the server, and why. @internal */
export const Attempt = Schema.Struct({
  address: Schema.String,
  mode: Schema.Literal("Local", "Remote", "Manual"),
  error: Schema.Union(ClientError.ClientError, ServerIdMismatch)
})

/** @internal */
export type Attempt = typeof Attempt.Type

/** @internal */
export class ServerUnavailable extends Schema.TaggedError<ServerUnavailable>(
  "@mbauth/core/ConnectionManager/ServerUnavailable"
)("ServerUnavailable", {
  serverId: Schema.String,
  /** Every address tried, in the order they were tried. Empty when the server has no address. */
  attempts: Schema.Array(Attempt)
}) {
  override get message(): string {
    if (this.attempts.length === 0) return `Server ${this.serverId} has no saved address to try.`
    const tried = this.attempts.map((a) => `${a.address} (${a.error._tag})`).join(", ")
    return `Server ${this.serverId} could not be reached at any of its addresses: ${tried}.`
  }
}

/** @internal */
export class ConnectUnavailable extends Schema.TaggedError<ConnectUnavailable>(
  "@mbauth/core/ConnectionManager/ConnectUnavailable"
)("ConnectUnavailable", {
  reason: Schema.Literal("NoClient", "NotSignedIn")
}) {
  override get message(): string {
    return this.reason === "NoClient"
      ? `Emby Connect is not set up: provide an EmbyConnect layer to the connection manager.`
      : `Not signed in to Emby Connect. Sign in with a name and password or a PIN first.`
  }
}
