/**
 * Request parameters as the MediaBrowser / Emby Connect services bind them (ServiceStack DTO
 * binding): query string and body merged, names case-insensitive, the body either form-encoded or
 * JSON (the official clients send forms, third parties JSON; both are accepted).
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/** The merged parameters of a request. */
export interface Params {
  /** Case-insensitive lookup; body values win over query values. */
  readonly get: (name: string) => string | undefined
  /** Lower-cased names to values. */
  readonly all: Readonly<Record<string, string>>
}

/** The body could not be read or parsed. */
export class BadRequestBody extends Data.TaggedError("BadRequestBody")<{ readonly reason: string }> {}

const scalar = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined

/** Reads the query string and body of the current request. */
export const read: Effect.Effect<Params, BadRequestBody, HttpServerRequest.HttpServerRequest> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const all: Record<string, string> = {}
  const url = new URL(request.url, "http://fake.invalid")
  for (const [k, v] of url.searchParams) all[k.toLowerCase()] ??= v
  if (request.method !== "GET" && request.method !== "HEAD") {
    const text = yield* Effect.mapError(request.text, () => new BadRequestBody({ reason: "unreadable body" }))
    const contentType = (request.headers["content-type"] ?? "").toLowerCase()
    const looksJson = contentType.includes("json") || (contentType === "" && /^\s*[{[]/.test(text))
    if (text.trim() !== "" && looksJson) {
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return yield* new BadRequestBody({ reason: "the body is not valid JSON" })
      }
      if (json === null || typeof json !== "object" || Array.isArray(json)) {
        return yield* new BadRequestBody({ reason: "the JSON body is not an object" })
      }
      for (const [k, v] of Object.entries(json)) {
        const s = scalar(v)
        if (s !== undefined) all[k.toLowerCase()] = s
      }
    } else if (text.trim() !== "") {
      for (const [k, v] of new URLSearchParams(text)) all[k.toLowerCase()] = v
    }
  }
  return { all, get: (name) => all[name.toLowerCase()] }
})
