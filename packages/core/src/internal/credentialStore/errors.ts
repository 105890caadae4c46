/**
 * Typed errors of the credential store. Each names the file (or key-value store key) and what a
 * user can do about it; none ever carries file content, so no secret can leak through them.
 *
 * @internal
 */
import type * as PlatformError from "@effect/platform/Error"
import * as Schema from "effect/Schema"

/** @internal */
export class CorruptCredentialFile extends Schema.TaggedError<CorruptCredentialFile>(
  "@mbauth/core/CredentialStore/CorruptCredentialFile"
)("CorruptCredentialFile", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `The credential file ${this.path} is corrupt (${this.detail}). It was left untouched: ` +
      `repair it, or move it away to start with an empty store.`
  }
}

/** @internal */
export class ForeignCredentialFile extends Schema.TaggedError<ForeignCredentialFile>(
  "@mbauth/core/CredentialStore/ForeignCredentialFile"
)("ForeignCredentialFile", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.path} is not an mbauth credential file (${this.detail}). It was left untouched: ` +
      `move it away, or choose another file for the credential store (mbauth: --config-dir or MBAUTH_CONFIG_DIR).`
  }
}

// What an I/O failure carries: the OS's reason and message (they name the path, never content).
const ioFields = {
  path: Schema.String,
  reason: Schema.String,
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}

/** @internal */
export class CredentialFileUnreadable extends Schema.TaggedError<CredentialFileUnreadable>(
  "@mbauth/core/CredentialStore/CredentialFileUnreadable"
)("CredentialFileUnreadable", ioFields) {
  override get message(): string {
    return `Cannot read the credential file ${this.path} (${this.reason}): ${this.detail}`
  }
}

/** @internal */
export class CredentialFileUnwritable extends Schema.TaggedError<CredentialFileUnwritable>(
  "@mbauth/core/CredentialStore/CredentialFileUnwritable"
)("CredentialFileUnwritable", ioFields) {
  override get message(): string {
    return `Cannot write the credential file ${this.path} (${this.reason}): ${this.detail}. ` +
      `The previous file, if any, is unchanged.`
  }
}

/** @internal */
export class LockTimeout extends Schema.TaggedError<LockTimeout>("@mbauth/core/CredentialStore/LockTimeout")(
  "LockTimeout",
  {
    path: Schema.String,
    lockPath: Schema.String,
    waitedMillis: Schema.Number,
    holderPid: Schema.optional(Schema.Number)
  }
) {
  override get message(): string {
    const holder = this.holderPid === undefined ? "another process" : `process ${this.holderPid}`
    return `Timed out after ${this.waitedMillis} ms waiting for ${holder} to release the lock ${this.lockPath} ` +
      `on ${this.path}. If no mbauth process is running, delete the lock file.`
  }
}

/** @internal */
export class UnsupportedSchemaVersion extends Schema.TaggedError<UnsupportedSchemaVersion>(
  "@mbauth/core/CredentialStore/UnsupportedSchemaVersion"
)("UnsupportedSchemaVersion", {
  path: Schema.String,
  version: Schema.Number,
  supportedVersion: Schema.Number
}) {
  override get message(): string {
    return `The credential file ${this.path} has schema version ${this.version}, newer than this mbauth ` +
      `understands (${this.supportedVersion}). Upgrade mbauth; the file was left untouched.`
  }
}

/** @internal */
export type CredentialStoreError =
  | CorruptCredentialFile
  | ForeignCredentialFile
  | CredentialFileUnreadable
  | CredentialFileUnwritable
  | LockTimeout
  | UnsupportedSchemaVersion

// PlatformError descriptions are the OS message with the path ("EACCES: permission denied, open
// '/x'"): useful to a user and free of file content.
const describe = (error: PlatformError.PlatformError): { reason: string; detail: string } =>
  error._tag === "SystemError"
    ? { reason: error.reason, detail: error.description ?? `${error.method} failed` }
    : { reason: "BadArgument", detail: error.description ?? `${error.method} failed` }

/** @internal */
export const unreadable = (path: string, error: PlatformError.PlatformError, what?: string): CredentialFileUnreadable => {
  const { detail, reason } = describe(error)
  return new CredentialFileUnreadable({ path, reason, detail: what === undefined ? detail : `${what}: ${detail}`, cause: error })
}

/** @internal */
export const unwritable = (path: string, error: PlatformError.PlatformError, what?: string): CredentialFileUnwritable => {
  const { detail, reason } = describe(error)
  return new CredentialFileUnwritable({ path, reason, detail: what === undefined ? detail : `${what}: ${detail}`, cause: error })
}
