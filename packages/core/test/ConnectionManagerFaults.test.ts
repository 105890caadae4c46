/**
 * The connection manager's flows under the shared fault list, against the sandbox: each ends in
 * its documented state or typed error — `connectToServer` in `Unavailable` (the token kept),
 * `signIn` in the error with nothing saved, `signOut` in `{ revoked: false, error }` with the token
 * forgotten, `connect` through a failed Emby Connect exchange in `ServerSignIn(ExchangeFailed)` —
 * after a bounded, observed number of requests, never a hang (the policy's short timeouts bound
 * every attempt), and with no secret in the error it carries, the logs or the spans.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ConnectionManager from "@mbauth/core/ConnectionManager"
import type * as CredentialStore from "@mbauth/core/CredentialStore"
import { makeSandbox, SANDBOX_DEMO as DEMO, type SandboxService } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import {
  assertOutcome,
  type Expected,
  expected,
  type FaultCase,
  faultCases,
  faultPolicy,
  type FaultProfile,
  run,
  title,
  TIMEOUT
} from "./utils/faults.js"
import { harness } from "./utils/manager.js"

interface Context {
  readonly sb: SandboxService
  readonly manager: ConnectionManager.Service
  readonly store: CredentialStore.Service
}

/** The error a flow's documented end carries (or fails with). */
type Carried = { readonly _tag: string; readonly message: string }

interface Flow extends FaultProfile {
  readonly name: string
  readonly server: "jellyfin" | "jellyfin12" | "emby"
  readonly method: "GET" | "POST"
  /** Where the fault goes and the requests are counted. */
  readonly path: string
  /** The requests the fake must see, when not what the client policy allows. */
  readonly attempts?: (c: FaultCase) => number
  /** Brings the manager and the store to where the flow starts. */
  readonly prepare: (context: Context) => Effect.Effect<unknown, unknown>
  /**
   * Runs the flow, asserts its documented end (state, what the store keeps) and returns the error
   * that end carries: `undefined` when the flow got through, a failure when it fails.
   */
  readonly run: (context: Context) => Effect.Effect<Carried | undefined, Carried>
}

const alice = { username: DEMO.users.alice.name, password: Redacted.make<string>(DEMO.users.alice.password) }
const JELLYFIN = DEMO.serverIds.jellyfin

/** Alice's saved token on a server, if any. */
const tokenOf = (store: CredentialStore.Service, serverId: string) =>
  Effect.map(store.getServer(serverId), (server) =>
    Option.flatMap(server, (s) =>
      Option.fromNullable(Object.values(s.users).find((u) => u.name === alice.username)?.accessToken)))

const reached = ({ manager, sb }: Context, server: "jellyfin" | "jellyfin12" = "jellyfin") =>
  manager.connectToAddress(sb[server].url)
const signedIn = (context: Context, server: "jellyfin" | "jellyfin12" = "jellyfin") =>
  Effect.zipRight(reached(context, server), context.manager.signIn(context.sb[server].id, alice))

/** `connectToServer` must end in `Unavailable` with one attempt, keeping the saved token. */
const unavailable = ({ manager, sb, store }: Context, server: "jellyfin" | "jellyfin12" = "jellyfin") =>
  Effect.gen(function*() {
    const state = yield* manager.connectToServer(sb[server].id)
    assert(state._tag === "Unavailable", `Unavailable, not ${state._tag}`)
    assert.strictEqual(state.attempts.length, 1)
    assert.isTrue(Option.isSome(yield* tokenOf(store, sb[server].id)), "the token is kept")
    return state.attempts[0]!.error
  })

const flows: ReadonlyArray<Flow> = [
  {
    name: "connectToServer, probe",
    // Jellyfin 12: a probe answered by something that is not public info tries `/emby` next, which
    // Jellyfin 10.x would answer (it strips the prefix) and 12.0 does not.
    server: "jellyfin12",
    method: "GET",
    path: "/System/Info/Public",
    // A probe never retries, but repeats a failed connection once (a stale keep-alive connection).
    retried: false,
    decodes: true,
    attempts: (c) => c.error === "ServerUnreachable" ? 2 : 1,
    prepare: (context) => signedIn(context, "jellyfin12"),
    run: (context) => unavailable(context, "jellyfin12")
  },
  {
    name: "connectToServer, token check",
    server: "jellyfin",
    method: "GET",
    path: "/Users/Me",
    retried: true,
    decodes: true,
    prepare: signedIn,
    run: unavailable
  },
  {
    name: "signIn",
    server: "jellyfin",
    method: "POST",
    path: "/Users/AuthenticateByName",
    retried: false,
    decodes: true,
    prepare: reached,
    run: ({ manager, store }) =>
      manager.signIn(JELLYFIN, alice).pipe(
        Effect.as(undefined),
        Effect.tapError(() =>
          Effect.map(tokenOf(store, JELLYFIN), (token) => assert.isTrue(Option.isNone(token), "nothing is saved"))
        )
      )
  },
  {
    name: "signOut",
    server: "jellyfin",
    method: "POST",
    path: "/Sessions/Logout",
    retried: true,
    decodes: false,
    prepare: signedIn,
    run: ({ manager, store }) =>
      Effect.gen(function*() {
        const result = yield* manager.signOut(JELLYFIN)
        assert.isTrue(Option.isNone(yield* tokenOf(store, JELLYFIN)), "the token is forgotten all the same")
        assert.strictEqual(result.revoked, result.error === undefined)
        return result.error
      })
  },
  {
    name: "connect, Emby Connect exchange",
    server: "emby",
    method: "GET",
    path: "/emby/Connect/Exchange",
    retried: true,
    decodes: true,
    prepare: ({ manager }) =>
      manager.connectSignIn({ nameOrEmail: DEMO.connect.alice.email, password: Redacted.make(DEMO.connect.alice.password) }),
    run: ({ manager }) =>
      Effect.gen(function*() {
        const state = yield* manager.connect()
        if (state._tag === "SignedIn") return undefined
        assert(state._tag === "ServerSignIn", `ServerSignIn, not ${state._tag}`)
        assert.strictEqual(state.reason, "ExchangeFailed")
        return state.error
      })
  }
]

const secretsOf = (sb: SandboxService) =>
  Effect.gen(function*() {
    const tokens = yield* Effect.all([sb.jellyfin.tokens, sb.emby.tokens, sb.connect.tokens])
    return [
      DEMO.users.alice.password,
      DEMO.users.bob.password,
      DEMO.connect.alice.password,
      DEMO.accessKeys.alice,
      DEMO.accessKeys.bob,
      ...tokens.flat()
    ]
  })

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("ConnectionManager flows under faults", (it) => {
  for (const flow of flows) {
    for (const c of faultCases.filter((c) => c.once !== true)) {
      const e: Expected = { ...expected(c, flow), ...(flow.attempts === undefined ? {} : { attempts: flow.attempts(c) }) }
      it.scoped(title(flow.name, c, e), () =>
        Effect.gen(function*() {
          const sb = yield* makeSandbox({ discovery: false })
          const { manager, store } = yield* harness({
            connect: sb.connect,
            policy: faultPolicy,
            manager: { probeTimeout: TIMEOUT }
          })
          const context: Context = { sb, manager, store }
          yield* Effect.orDie(flow.prepare(context))
          const target = sb[flow.server]
          const filter = { method: flow.method, path: flow.path }
          const before = yield* target.requests.count(filter)
          yield* target.faults.set({ fault: c.fault, ...filter })
          const ran = yield* run(
            Effect.flatMap(flow.run(context), (error) => error === undefined ? Effect.void : Effect.fail(error))
          )
          const sent = (yield* target.requests.count(filter)) - before
          assertOutcome(flow.name, c, e, ran, sent, yield* secretsOf(sb))
        }))
    }
  }
})
