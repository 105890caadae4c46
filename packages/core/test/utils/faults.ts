/**
 * The fault cases of the sandbox's fault knobs, with the typed error each one must end in, shared
 * by the fault-injection tests (faults.test.ts, EmbyConnectFaults.test.ts) and the secret hygiene
 * harness.
 */
import type * as ClientError from "@mbauth/core/ClientError"
import { type Fault as FaultType, Fault } from "@mbauth/core/testing"

/** Retries of the policy the fault tests run with. */
export const RETRIES = 2

/**
 * Per-attempt timeout of the fault tests: long enough that an ordinary call on a loaded machine
 * never times out, short enough to keep the hang cases quick.
 */
export const TIMEOUT = "300 millis"

/** The client policy of the fault tests (bodies over 1 MB are refused). */
export const faultPolicy = { retries: RETRIES, timeout: TIMEOUT, maxResponseBytes: 1024 * 1024 } as const

export interface FaultCase {
  readonly name: string
  readonly fault: FaultType
  readonly error: ClientError.ClientError["_tag"]
  /** Whether the failure is transient (retried for idempotent calls). */
  readonly transient: boolean
  readonly status?: number
  /** Damages only the body: a call that does not read JSON succeeds. */
  readonly bodyOnly?: boolean
  /** Same mechanism as another case: run it with one HttpClient only. */
  readonly once?: boolean
}

export const faultCases: ReadonlyArray<FaultCase> = [
  { name: "500 burst", fault: Fault.Status({ status: 500 }), error: "UnexpectedResponse", transient: true, status: 500 },
  { name: "502 burst", fault: Fault.Status({ status: 502 }), error: "UnexpectedResponse", transient: true, status: 502 },
  { name: "503 burst", fault: Fault.Status({ status: 503 }), error: "UnexpectedResponse", transient: true, status: 503 },
  { name: "429 Retry-After", fault: Fault.RateLimit({ retryAfter: "0" }), error: "RateLimited", transient: true },
  { name: "reset before response", fault: Fault.ResetBeforeResponse(), error: "ServerUnreachable", transient: true },
  { name: "reset mid-body", fault: Fault.ResetMidBody(), error: "ServerUnreachable", transient: true },
  {
    name: "malformed JSON",
    fault: Fault.MalformedJson(),
    error: "UnexpectedResponse",
    transient: false,
    status: 200,
    bodyOnly: true
  },
  {
    name: "truncated JSON",
    fault: Fault.TruncatedJson(),
    error: "UnexpectedResponse",
    transient: false,
    status: 200,
    bodyOnly: true
  },
  { name: "accept and hang", fault: Fault.Hang(), error: "Timeout", transient: true },
  {
    name: "latency over the timeout",
    fault: Fault.Latency({ delay: "800 millis" }),
    error: "Timeout",
    transient: true,
    once: true
  },
  { name: "50 MB body", fault: Fault.LargeBody({ bytes: 50 * 1024 * 1024 }), error: "UnexpectedResponse", transient: false },
  {
    name: "50 MB body, announced",
    fault: Fault.LargeBody({ bytes: 50 * 1024 * 1024, announce: true }),
    error: "UnexpectedResponse",
    transient: false
  }
]
