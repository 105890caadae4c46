/**
 * A scripted HttpClient for unit tests of the client plumbing (no sockets): it records every
 * request (with the redacted header names in force while it ran) and answers from a script.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"

export interface Call {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
  readonly body: string
  readonly redactedNames: ReadonlyArray<string | RegExp>
  readonly signal: AbortSignal
}

export type Answer =
  | { readonly status: number; readonly body?: string; readonly headers?: Record<string, string> }
  | "hang"
  | "refuse"

export const mockHttp = (script: (call: Call, n: number) => Answer) => {
  const calls: Array<Call> = []
  const client = HttpClient.make((request, url, signal, fiber) =>
    Effect.gen(function*() {
      const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
      const call = { request, url, body, redactedNames: fiber.getFiberRef(Headers.currentRedactedNames), signal }
      calls.push(call)
      const answer = script(call, calls.length)
      if (answer === "hang") return yield* Effect.never
      if (answer === "refuse") {
        const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
        return yield* new HttpClientError.RequestError({ request, reason: "Transport", cause })
      }
      return HttpClientResponse.fromWeb(
        request,
        new Response(answer.body ?? "", { status: answer.status, headers: answer.headers ?? {} })
      )
    })
  )
  return { client, calls }
}

/** Lets real I/O (promises, web streams) progress a little. */
export const tick = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Waits (in real event-loop turns, not test-clock time) until the condition holds. */
export const waitUntil = (condition: () => boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 10_000 && !condition(); i++) yield* tick
    if (!condition()) return yield* Effect.dieMessage("condition never became true")
  })

/** Waits until some fiber sleeps on the test clock until `at` millis or earlier. */
export const waitForSleepUntil = (at: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 10_000; i++) {
      const sleeps = Chunk.toReadonlyArray(yield* TestClock.sleeps())
      if (sleeps.some((t) => t <= at)) return
      yield* tick
    }
    return yield* Effect.dieMessage(`no sleep until ${at}`)
  })
