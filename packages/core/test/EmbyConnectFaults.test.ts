/**
 * Fault injection for every Emby Connect call (faults.test.ts runs the whole fault list against
 * `servers` and the PIN exchange with both HttpClients): each fault ends in its documented typed
 * error after exactly the attempts the policy allows — retries only for transient failures of
 * idempotent calls — and interrupting a call while it retries (waiting out a long Retry-After, or
 * with a retry in flight) stops it at once: the fake sees no request afterwards.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ClientError from "@mbauth/core/ClientError"
import type * as EmbyConnect from "@mbauth/core/EmbyConnect"
import { Fault, type FakeEmbyConnectService } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { CANARY, sandbox, seed } from "./utils/connect.js"
import {
  assertOutcome,
  expected,
  faultCases,
  faultPolicy,
  interruptDuringHungRetry,
  interruptDuringRetryAfter,
  run,
  title
} from "./utils/faults.js"

interface Context {
  readonly connect: EmbyConnect.Service
  readonly session: EmbyConnect.ConnectSession
  readonly pin: EmbyConnect.Pin
}

interface Call {
  readonly name: string
  readonly method: "GET" | "POST"
  readonly path: string
  readonly idempotent: boolean
  /** Whether the call decodes a JSON answer (logout only looks at the status). */
  readonly decodes: boolean
  readonly run: (context: Context) => Effect.Effect<unknown, ClientError.ClientError>
}

const password = Redacted.make(CANARY.password)

const calls: ReadonlyArray<Call> = [
  {
    name: "authenticate",
    method: "POST",
    path: "/service/user/authenticate",
    idempotent: true,
    decodes: true,
    run: ({ connect }) => connect.authenticate({ nameOrEmail: "alice", password })
  },
  { name: "createPin", method: "POST", path: "/service/pin", idempotent: true, decodes: true, run: ({ connect }) => connect.createPin("dev-2") },
  { name: "pinStatus", method: "GET", path: "/service/pin", idempotent: true, decodes: true, run: ({ connect, pin }) => connect.pinStatus(pin) },
  {
    name: "exchangePin",
    method: "POST",
    path: "/service/pin/authenticate",
    idempotent: false,
    decodes: true,
    run: ({ connect, pin }) => connect.exchangePin(pin)
  },
  { name: "user", method: "GET", path: "/service/user", idempotent: true, decodes: true, run: ({ connect, session }) => connect.user(session) },
  {
    name: "servers",
    method: "GET",
    path: "/service/servers",
    idempotent: true,
    decodes: true,
    run: ({ connect, session }) => connect.servers(session)
  },
  {
    name: "logout",
    method: "POST",
    path: "/service/user/logout",
    idempotent: true,
    decodes: false,
    run: ({ connect, session }) => connect.logout(session)
  }
]

/** A fake, a client, a signed-in session and a confirmed PIN. */
const setUp = (policy: Parameters<typeof sandbox>[1] = { policy: faultPolicy }) =>
  Effect.gen(function*() {
    const { connect, fake } = yield* sandbox(seed, policy)
    const session = yield* connect.authenticate({ nameOrEmail: "alice", password })
    const pin = yield* connect.createPin("dev")
    yield* fake.confirmPin(pin.pin, "alice")
    return { fake, context: { connect, session, pin } satisfies Context }
  })

const secretsOf = (fake: FakeEmbyConnectService) =>
  Effect.map(fake.tokens, (tokens) => [CANARY.password, CANARY.accessKey, CANARY.guestKey, ...tokens])

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("every Emby Connect call under faults", (it) => {
  for (const call of calls) {
    for (const c of faultCases.filter((c) => c.once !== true)) {
      const e = expected(c, { retried: call.idempotent, decodes: call.decodes })
      it.scoped(title(call.name, c, e), () =>
        Effect.gen(function*() {
          const { context, fake } = yield* setUp()
          const filter = { method: call.method, path: call.path }
          const before = yield* fake.requests.count(filter)
          yield* fake.faults.set({ fault: c.fault, ...filter })
          const ran = yield* run(call.run(context))
          const sent = (yield* fake.requests.count(filter)) - before
          assertOutcome(call.name, c, e, ran, sent, yield* secretsOf(fake))
        }))
    }
  }

  it.scoped("429 with Retry-After: honoured when within maxRetryAfter (observed attempts), refused at once beyond it", () =>
    Effect.gen(function*() {
      // Within: one retry after the service's 1 s, then RateLimited carrying the service's delay.
      const within = yield* setUp({ policy: { ...faultPolicy, retries: 1, maxRetryAfter: "5 seconds" } })
      yield* within.fake.faults.set({ fault: Fault.RateLimit({ retryAfter: "1" }), path: "/service/servers" })
      const retried = yield* Effect.flip(within.context.connect.servers(within.context.session))
      assert.strictEqual(retried._tag, "RateLimited")
      assert.strictEqual(yield* within.fake.requests.count({ path: "/service/servers" }), 2)
      // Beyond: no retry at all, and the error says how long to wait.
      const beyond = yield* setUp({ policy: { ...faultPolicy, maxRetryAfter: "10 seconds" } })
      yield* beyond.fake.faults.set({ fault: Fault.RateLimit({ retryAfter: "120" }), path: "/service/servers" })
      const refused = yield* Effect.flip(beyond.context.connect.servers(beyond.context.session))
      assert.strictEqual(refused._tag, "RateLimited")
      assert.include(refused.message, "2m")
      assert.strictEqual(yield* beyond.fake.requests.count({ path: "/service/servers" }), 1)
    }))

  it.scoped("interrupting a call waiting out an hour-long Retry-After stops it at once; nothing is sent after", () =>
    Effect.gen(function*() {
      const { context, fake } = yield* setUp({ policy: { ...faultPolicy, retries: 3, maxRetryAfter: "2 hours" } })
      yield* interruptDuringRetryAfter(fake, "/service/servers", context.connect.servers(context.session))
    }))

  it.scoped("interrupting a call while a retry hangs aborts it at once; nothing is sent after", () =>
    Effect.gen(function*() {
      // An hour-long timeout: only the interrupt can end the hung attempt.
      const { context, fake } = yield* setUp({ policy: { ...faultPolicy, timeout: "1 hour", retries: 5 } })
      yield* interruptDuringHungRetry(fake, "/service/user", context.connect.user(context.session))
    }))
})
