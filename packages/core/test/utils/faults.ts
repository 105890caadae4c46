/**
 * The fault cases of the sandbox's fault knobs, with the typed error each one must end in, shared
 * by the fault-injection tests (faults.test.ts, EmbyConnectFaults.test.ts, MediaServerFaults.test.ts)
 * and the secret hygiene harness; the outcome check and the interrupt scenarios those tests share.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as ClientError from "@mbauth/core/ClientError"
import { type Fault as FaultType, Fault, type Faults, type RequestLog } from "@mbauth/testing"
import { assert } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as Capture from "./capture.js"
import { assertNoSecrets } from "./connect.js"

/** Retries of the policy the fault tests run with. */
export const RETRIES = 2

/**
 * Per-attempt timeout of the fault tests: long enough that an ordinary call on a loaded machine
 * never times out, short enough to keep the hang cases quick.
 */
export const TIMEOUT = "600 millis"

/** The client policy of the fault tests (bodies over 1 MB are refused). */
export const faultPolicy = { retries: RETRIES, timeout: TIMEOUT, maxResponseBytes: 1024 * 1024 } as const

/** How a failure must end: the typed error, whether it is retried, the status. */
export interface FaultOutcome {
  readonly name: string
  readonly error: ClientError.ClientError["_tag"]
  /** Whether the failure is transient (retried for idempotent calls). */
  readonly transient: boolean
  readonly status?: number
  /** What an `UnexpectedResponse` must say is wrong. */
  readonly issue?: RegExp
  /** Damages only the body: a call that does not read JSON succeeds. */
  readonly bodyOnly?: boolean
}

export interface FaultCase extends FaultOutcome {
  readonly fault: FaultType
  /** Same mechanism as another case: run it with one HttpClient only. */
  readonly once?: boolean
}

export const faultCases: ReadonlyArray<FaultCase> = [
  { name: "500 burst", fault: Fault.Status({ status: 500 }), error: "UnexpectedResponse", transient: true, status: 500, issue: /^HTTP 500/ },
  { name: "502 burst", fault: Fault.Status({ status: 502 }), error: "UnexpectedResponse", transient: true, status: 502, issue: /^HTTP 502/ },
  { name: "503 burst", fault: Fault.Status({ status: 503 }), error: "UnexpectedResponse", transient: true, status: 503, issue: /^HTTP 503/ },
  { name: "429 Retry-After", fault: Fault.RateLimit({ retryAfter: "0" }), error: "RateLimited", transient: true },
  { name: "reset before response", fault: Fault.ResetBeforeResponse(), error: "ServerUnreachable", transient: true },
  { name: "reset mid-body", fault: Fault.ResetMidBody(), error: "ServerUnreachable", transient: true },
  {
    name: "malformed JSON",
    fault: Fault.MalformedJson(),
    error: "UnexpectedResponse",
    transient: false,
    status: 200,
    issue: /not valid JSON/,
    bodyOnly: true
  },
  {
    name: "truncated JSON",
    fault: Fault.TruncatedJson(),
    error: "UnexpectedResponse",
    transient: false,
    status: 200,
    issue: /not valid JSON/,
    bodyOnly: true
  },
  { name: "accept and hang", fault: Fault.Hang(), error: "Timeout", transient: true },
  {
    name: "latency over the timeout",
    fault: Fault.Latency({ delay: "1500 millis" }),
    error: "Timeout",
    transient: true,
    once: true
  },
  {
    name: "50 MB body",
    fault: Fault.LargeBody({ bytes: 50 * 1024 * 1024 }),
    error: "UnexpectedResponse",
    transient: false,
    status: 200,
    issue: /larger than the \d+-byte limit/
  },
  {
    name: "50 MB body, announced",
    fault: Fault.LargeBody({ bytes: 50 * 1024 * 1024, announce: true }),
    error: "UnexpectedResponse",
    transient: false,
    status: 200,
    issue: /larger than the \d+-byte limit/
  }
]

/**
 * Connection refused: no fault knob (nothing listens at the address), so the client counts its own
 * attempts ({@link countingHttpClient}).
 */
export const refused: FaultOutcome = { name: "connection refused", error: "ServerUnreachable", transient: true }

/** The HttpClient in context, counting the requests it sends. */
export const countingHttpClient = Effect.gen(function*() {
  const sent = yield* Ref.make(0)
  const client = HttpClient.tapRequest(yield* HttpClient.HttpClient, () => Ref.update(sent, (n) => n + 1))
  return { client, sent: Ref.get(sent) }
})

/** What a call is, as far as the fault cases care. */
export interface FaultProfile {
  /** Whether the call retries transient failures (idempotent, and its policy allows retries). */
  readonly retried: boolean
  /** Whether the call decodes a JSON answer (one that only looks at the status ignores body damage). */
  readonly decodes: boolean
}

/** How one call must end under one fault case. */
export interface Expected {
  readonly succeeds: boolean
  /** Requests the server must see. */
  readonly attempts: number
}

export const expected = (c: FaultOutcome, call: FaultProfile): Expected => ({
  succeeds: c.bodyOnly === true && !call.decodes,
  attempts: c.transient && call.retried ? RETRIES + 1 : 1
})

/** A test title saying what must happen: `logout, 503 burst: UnexpectedResponse after 3 attempt(s)`. */
export const title = (name: string, c: FaultOutcome, e: Expected): string =>
  `${name}, ${c.name}: ${e.succeeds ? "succeeds" : `${c.error} after ${e.attempts} attempt(s)`}`

const pretty = (exit: Exit.Exit<unknown, unknown>): string =>
  Exit.isSuccess(exit) ? "success" : Cause.pretty(exit.cause)

/** How a call ended, and everything it logged and traced (all levels, every span), as text. */
export interface Ran<E> {
  readonly exit: Exit.Exit<unknown, E>
  readonly seen: string
}

/** Runs a call, capturing its logs and spans. */
export const run = <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<Ran<E>, never, R> =>
  Effect.suspend(() => {
    const capture = Capture.makeCapture()
    return Effect.map(
      Effect.exit(Effect.provide(call, Capture.layer(capture))),
      (exit): Ran<E> => ({ exit, seen: Capture.dump(capture) })
    )
  })

/**
 * Asserts how a call under a fault ended: success when expected, else a typed failure (never a
 * defect) with the case's tag, status and issue, after exactly the expected attempts; no secret in
 * the error, nor in anything the call logged or traced.
 */
export const assertOutcome = (
  name: string,
  c: FaultOutcome,
  e: Expected,
  { exit, seen }: Ran<{ readonly _tag: string; readonly message: string }>,
  sent: number,
  secrets: ReadonlyArray<string>
): void => {
  for (const secret of secrets) assert.notInclude(seen, secret, `${name}: a log line or span leaks a secret`)
  if (e.succeeds) {
    assert(Exit.isSuccess(exit), `${name} must succeed (the body is not read), not end in ${pretty(exit)}`)
    assert.strictEqual(sent, 1)
    return
  }
  assert(Exit.isFailure(exit) && exit.cause._tag === "Fail", `${name} must fail with a typed error, not ${pretty(exit)}`)
  const error = exit.cause.error
  assert.strictEqual(error._tag, c.error, error.message)
  assert(ClientError.isClientError(error))
  if (error._tag === "UnexpectedResponse") {
    if (c.status !== undefined) assert.strictEqual(error.status, c.status)
    if (c.issue !== undefined) assert.match(error.issue, c.issue)
  }
  assert.strictEqual(sent, e.attempts, "attempts the server saw")
  assertNoSecrets(error, secrets)
}

/** A fake server's fault knobs and request log. */
export interface FaultTarget {
  readonly faults: Faults
  readonly requests: RequestLog
}

const requestsAt = (target: FaultTarget, path: string) => target.requests.count({ path })

const waitForRequests = (target: FaultTarget, path: string, n: number) =>
  Effect.gen(function*() {
    while ((yield* requestsAt(target, path)) < n) yield* Effect.sleep("5 millis")
  })

/** Interrupts the fiber, then checks that no request reached `path` after it (faults cleared). */
const interruptAndCheckSilence = <A, E>(target: FaultTarget, path: string, fiber: Fiber.RuntimeFiber<A, E>) =>
  Effect.gen(function*() {
    const exit = yield* Fiber.interrupt(fiber)
    assert.isTrue(Exit.isInterrupted(exit))
    const seen = yield* requestsAt(target, path)
    yield* target.faults.clear
    yield* Effect.sleep("200 millis")
    assert.strictEqual(yield* requestsAt(target, path), seen, "nothing is sent after the interrupt")
    return seen
  })

/**
 * Runs `call` (whose client waits out a `Retry-After` up to at least an hour) against an
 * hour-long `Retry-After` at `path`, and interrupts it while it waits: it must stop at once — were
 * the wait not interruptible, the test would sit out the hour — after the single request.
 */
export const interruptDuringRetryAfter = <A, E>(target: FaultTarget, path: string, call: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    yield* target.faults.set({ fault: Fault.RateLimit({ retryAfter: "3600" }), path })
    const fiber = yield* Effect.fork(call)
    yield* waitForRequests(target, path, 1)
    // Let the 429 arrive and the wait begin.
    yield* Effect.sleep("50 millis")
    assert.strictEqual(yield* interruptAndCheckSilence(target, path, fiber), 1)
  })

/**
 * Runs `call` (whose client retries, with an hour-long timeout) against a 503 and then a hang at
 * `path`, and interrupts it while the retry hangs: only the interrupt can end the attempt, and it
 * must abort it at once, after the two requests.
 */
export const interruptDuringHungRetry = <A, E>(target: FaultTarget, path: string, call: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    yield* target.faults.set({ fault: Fault.Status({ status: 503 }), path, times: 1 }, { fault: Fault.Hang(), path })
    const fiber = yield* Effect.fork(call)
    yield* waitForRequests(target, path, 2)
    assert.strictEqual(yield* interruptAndCheckSilence(target, path, fiber), 2)
  })
