/**
 * Text ⇄ `Credentials`: JSON parsing, version dispatch, the v1 → v2 migration, and error details
 * that never quote the document (a corrupt file still holds tokens).
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { CorruptCredentialFile, ForeignCredentialFile, UnsupportedSchemaVersion } from "./errors.js"
import { empty, setConnect, upsertServer, type UserUpdate } from "./merge.js"
import { type Credentials, CredentialFileV1, CredentialFileV2, currentVersion } from "./schema.js"

/** Larger than any real store by orders of magnitude; guards against reading a wrong, huge file. @internal */
export const maxDocumentBytes = 8 * 1024 * 1024

const issueNames: Record<string, string> = {
  Missing: "missing",
  Unexpected: "unexpected",
  Forbidden: "forbidden",
  Type: "wrong type or value",
  Refinement: "invalid value",
  Transformation: "invalid value",
  Composite: "invalid value",
  Pointer: "invalid value"
}

/**
 * Names where the document is wrong (the JSON path and the kind of problem) without the values:
 * `ArrayFormatter` messages quote the actual value, which may be a token.
 *
 * @internal
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const shown = issues.slice(0, 3).map((issue) => {
    const path = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".")
    return `${path}: ${issueNames[issue._tag] ?? "invalid value"}`
  })
  const more = issues.length > shown.length ? ` and ${issues.length - shown.length} more` : ""
  return shown.join("; ") + more
}

// V8's JSON.parse messages quote a slice of the input (`Unexpected token 'x', "…" is not valid
// JSON`), so only the position is kept, turned into line:column.
const describeJsonError = (text: string, error: unknown): string => {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null
  if (match === null) return "not valid JSON"
  const position = Number(match[1])
  const before = text.slice(0, position)
  const line = before.split("\n").length
  const column = position - before.lastIndexOf("\n")
  return `not valid JSON at line ${line}, column ${column}`
}

const nonEmpty = (s: string | null | undefined): string | undefined =>
  s === null || s === undefined || s.length === 0 ? undefined : s

const secret = (s: string | null | undefined): Redacted.Redacted<string> | undefined => {
  const value = nonEmpty(s)
  return value === undefined ? undefined : Redacted.make(value)
}

const modes = { 0: "Local", 1: "Remote", 2: "Manual" } as const

const dateOf = (value: number | string | null | undefined): DateTime.Utc | undefined => {
  if (value === null || value === undefined) return undefined
  const date = DateTime.make(value)
  return date._tag === "Some" ? DateTime.toUtc(date.value) : undefined
}

/**
 * Migrates a `servercredentials3` document. Servers repeated under one Id are merged with the
 * normal rules; the single-user `UserId`/`AccessToken` pair and the `Users` list both become users.
 *
 * @internal
 */
export const migrateV1 = (v1: CredentialFileV1): Credentials => {
  let credentials = empty
  const connectUserId = nonEmpty(v1.ConnectUserId)
  const connectToken = secret(v1.ConnectAccessToken)
  // A Connect identity is only usable with both halves.
  if (connectUserId !== undefined && connectToken !== undefined) {
    credentials = setConnect(credentials, { userId: connectUserId, accessToken: connectToken })
  }
  for (const server of v1.Servers ?? []) {
    const id = nonEmpty(server.Id)
    if (id === undefined) continue
    const users: Array<UserUpdate> = []
    for (const user of server.Users ?? []) {
      if (nonEmpty(user.UserId) !== undefined) users.push({ id: user.UserId, accessToken: secret(user.AccessToken) })
    }
    const userId = nonEmpty(server.UserId)
    if (userId !== undefined) users.push({ id: userId, accessToken: secret(server.AccessToken) })
    const mode = server.LastConnectionMode
    credentials = upsertServer(credentials, {
      id,
      name: nonEmpty(server.Name),
      addresses: {
        local: nonEmpty(server.LocalAddress),
        remote: nonEmpty(server.RemoteAddress),
        manual: nonEmpty(server.ManualAddress)
      },
      lastConnectionMode: mode === null || mode === undefined ? undefined : modes[mode],
      lastAccessed: dateOf(server.DateLastAccessed),
      connect: { serverId: nonEmpty(server.ConnectServerId), accessKey: secret(server.ExchangeToken) },
      lastUserId: userId,
      users
    })[1]
  }
  return credentials
}

const decodeV2 = Schema.decodeUnknownEither(CredentialFileV2)
const decodeV1 = Schema.decodeUnknownEither(CredentialFileV1)
const encodeV2 = Schema.encodeEither(CredentialFileV2)

// The top-level fields of each version's document. A document is ours by its shape: a `version`
// alone is not enough (`{"version":1,"aws_access_key":…}` is someone else's file), and a foreign file
// is refused instead of being read as an empty store and then overwritten.
const v1Fields: ReadonlySet<string> = new Set(["version", "ConnectAccessToken", "ConnectUserId", "Servers"])
const v2Fields: ReadonlySet<string> = new Set(["version", "connect", "servers"])

/**
 * Decodes a stored document of any known version. `location` names the file (or key) in errors.
 *
 * @internal
 */
export const decode = (
  location: string,
  text: string
): Either.Either<Credentials, CorruptCredentialFile | ForeignCredentialFile | UnsupportedSchemaVersion> => {
  const corrupt = (detail: string) => Either.left(new CorruptCredentialFile({ path: location, detail }))
  // Editors on Windows like to add a BOM; JSON.parse rejects it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (source.trim().length === 0) return corrupt("the file is empty")
  let json: unknown
  try {
    json = JSON.parse(source)
  } catch (error) {
    return corrupt(describeJsonError(source, error))
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left(new ForeignCredentialFile({ path: location, detail: "it is not a JSON object" }))
  }
  // Schema.Record skips a "__proto__" key, so such a record would be dropped silently on the next save.
  if (source.includes("\"__proto__\"") && hasProtoKey(source)) return corrupt(`a record is keyed "__proto__"`)
  const document = json as Record<string, unknown>
  const version = document.version
  if (version !== undefined && (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1)) {
    return Either.left(
      new ForeignCredentialFile({ path: location, detail: "its version field is not a positive integer" })
    )
  }
  if (typeof version === "number" && version > currentVersion) {
    return Either.left(new UnsupportedSchemaVersion({ path: location, version, supportedVersion: currentVersion }))
  }
  const foreign = Object.keys(document).filter((key) => !(version === currentVersion ? v2Fields : v1Fields).has(key))
  if (foreign.length > 0) {
    return Either.left(
      new ForeignCredentialFile({
        path: location,
        detail: `it has fields no credential file has: ${foreign.slice(0, 3).map((key) => JSON.stringify(key)).join(", ")}` +
          (foreign.length > 3 ? ` and ${foreign.length - 3} more` : "")
      })
    )
  }
  if (version === currentVersion) {
    return Either.mapLeft(decodeV2(document), (e) =>
      new CorruptCredentialFile({
        path: location,
        detail: `does not match schema version ${currentVersion}: ${describeParseError(e)}`
      }))
  }
  return Either.match(decodeV1(document), {
    onLeft: (e) => corrupt(`does not match schema version 1: ${describeParseError(e)}`),
    onRight: (v1) => Either.right(migrateV1(v1))
  })
}

const hasProtoKey = (source: string): boolean => {
  let found = false
  JSON.parse(source, (key, value) => {
    if (key === "__proto__") found = true
    return value
  })
  return found
}

/**
 * Encodes the current document as text (JSON and a final newline). Fails only when a caller's
 * `update` produced a value outside the schema (the types normally prevent it); the detail names
 * where.
 *
 * @internal
 */
export const encode = (credentials: Credentials): Either.Either<string, string> => {
  // Schema.Record skips a "__proto__" key while encoding, which would drop that record from the file
  // without a word; refuse it here instead (ids come from servers on the network, and the key of a
  // record is its id in the file).
  const unkeyable = Object.hasOwn(credentials.servers, "__proto__") ||
    Object.values(credentials.servers).some((server) =>
      server.id === "__proto__" || Object.hasOwn(server.users, "__proto__") ||
      Object.values(server.users).some((user) => user.id === "__proto__")
    )
  if (unkeyable) return Either.left(`"__proto__" cannot be used as a server or user id`)
  return Either.match(encodeV2(credentials), {
    onLeft: (e) => Either.left(describeParseError(e)),
    onRight: (document) => Either.right(JSON.stringify(document, null, 2) + "\n")
  })
}
