/**
 * Fault injection for every MediaServer call, against a fake Jellyfin and a fake Emby (whose API
 * lives under `/emby`, so every path differs): each call × each fault of the shared list (and a
 * refused connection) ends in its documented typed error after exactly the attempts the policy
 * allows — retries only for transient failures of idempotent calls; `probe` and the sign-ins
 * never retry — with no secret in the error, the logs or the spans. Interrupting a call while it
 * waits out a long `Retry-After`, or while a retry hangs, stops it at once: the fake sees no
 * request afterwards.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ClientError from "@mbauth/core/ClientError"
import type * as ClientPolicy from "@mbauth/core/ClientPolicy"
import * as MediaServer from "@mbauth/core/MediaServer"
import { type FakeMediaServer, makeFakeJellyfin, refusedUrl } from "@mbauth/testing"
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import {
  assertOutcome,
  countingHttpClient,
  expected,
  faultCases,
  faultPolicy,
  interruptDuringHungRetry,
  interruptDuringRetryAfter,
  refused,
  run,
  title
} from "./utils/faults.js"
import {
  ACCESS_KEY,
  alice,
  API_KEYS,
  clientFor,
  CONNECT_PASSWORD,
  embyWithConnect,
  fastPolicy,
  SECRETS,
  USERS
} from "./utils/mediaServer.js"

/** What every call needs: the fake, a client with the fault policy, a live token of alice's. */
interface Base {
  readonly fake: FakeMediaServer
  /** The address given to `probe` and the client: the fake's, or a refused one. */
  readonly address: string
  readonly client: MediaServer.Service
  readonly token: MediaServer.TokenCredentials
  /** Every secret in play, read when the call has ended (tokens minted meanwhile included). */
  readonly secrets: Effect.Effect<ReadonlyArray<string>>
}

interface JellyfinContext extends Base {
  /** A Quick Connect request alice has authorized. */
  readonly request: MediaServer.QuickConnectRequest
  /** A Quick Connect request nobody has authorized yet (a second authorization is a 500). */
  readonly pending: MediaServer.QuickConnectRequest
  /** Alice's step in another app, for the Quick Connect stream. */
  readonly authorize: (code: string) => Effect.Effect<void>
}

interface EmbyContext extends Base {
  /** Alice's Emby Connect user Id, linked to the local alice with {@link ACCESS_KEY}. */
  readonly connectUserId: string
}

interface Options {
  readonly policy: ClientPolicy.Options
  readonly address?: string | undefined
}

interface Call<C> {
  readonly name: string
  readonly method: "GET" | "POST"
  /** The path at the fake, where the fault is injected and attempts are counted. */
  readonly path: string
  /** Whether the call retries transient failures (idempotent, and not `probe`). */
  readonly retried: boolean
  /** Whether the call decodes a JSON answer (the others only look at the status). */
  readonly decodes: boolean
  /** One step of a longer flow: only a fault knob hits it alone (no refused-connection case). */
  readonly step?: true
  readonly run: (
    context: C
  ) => Effect.Effect<unknown, ClientError.ClientError | MediaServer.OperationUnavailable | MediaServer.QuickConnectCodeUnknown, HttpClient.HttpClient>
}

const setUpJellyfin = (options: Options): Effect.Effect<JellyfinContext, never, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    // Jellyfin 12: no /emby prefix, so a damaged probe answer is not saved by the /emby fallback.
    const fake = yield* makeFakeJellyfin({ profile: "jellyfin-12", users: USERS, apiKeys: API_KEYS })
    // The preparation goes to the fake itself, with the normal policy.
    const request = yield* Effect.flatMap(clientFor(fake), (helper) => helper.initiateQuickConnect)
    const pending = yield* Effect.flatMap(clientFor(fake), (helper) => helper.initiateQuickConnect)
    yield* fake.authorizeQuickConnect(request.code, "alice")
    const token = { accessToken: Redacted.make(yield* fake.signIn("alice")) }
    const address = options.address ?? fake.url
    const client = yield* clientFor(fake, { policy: options.policy, address })
    const secrets = Effect.gen(function*() {
      const live = yield* fake.quickConnectRequests
      return [
        ...Object.values(SECRETS),
        Redacted.value(request.secret),
        ...live.map((r) => r.secret),
        ...(yield* fake.tokens)
      ]
    })
    const authorize = (code: string) => Effect.orDie(fake.authorizeQuickConnect(code, "alice"))
    return { fake, address, client, token, request, pending, authorize, secrets }
  }).pipe(Effect.orDie)

const setUpEmby = (options: Options): Effect.Effect<EmbyContext, never, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { connect, emby } = yield* embyWithConnect
    const connectUserId = (yield* connect.users).find((u) => u.name === "alice")!.id
    const token = { accessToken: Redacted.make(yield* emby.signIn("alice")) }
    const address = options.address ?? emby.url
    const client = yield* clientFor(emby, { policy: options.policy, address })
    const secrets = Effect.gen(function*() {
      return [...Object.values(SECRETS), ACCESS_KEY, CONNECT_PASSWORD, ...(yield* emby.tokens), ...(yield* connect.tokens)]
    })
    return { fake: emby, address, client, token, connectUserId, secrets }
  }).pipe(Effect.orDie)

const jellyfinCalls: ReadonlyArray<Call<JellyfinContext>> = [
  {
    name: "probe",
    method: "GET",
    path: "/System/Info/Public",
    retried: false,
    decodes: true,
    run: ({ address }) => MediaServer.probe(address)
  },
  { name: "publicInfo", method: "GET", path: "/System/Info/Public", retried: true, decodes: true, run: ({ client }) => client.publicInfo },
  {
    name: "authenticateByName",
    method: "POST",
    path: "/Users/AuthenticateByName",
    retried: false,
    decodes: true,
    run: ({ client }) => client.authenticateByName(alice)
  },
  { name: "currentUser", method: "GET", path: "/Users/Me", retried: true, decodes: true, run: ({ client, token }) => client.currentUser(token) },
  { name: "logout", method: "POST", path: "/Sessions/Logout", retried: true, decodes: false, run: ({ client, token }) => client.logout(token) },
  {
    name: "quickConnectEnabled",
    method: "GET",
    path: "/QuickConnect/Enabled",
    retried: true,
    decodes: true,
    run: ({ client }) => client.quickConnectEnabled
  },
  {
    name: "initiateQuickConnect",
    method: "POST",
    path: "/QuickConnect/Initiate",
    retried: false,
    decodes: true,
    run: ({ client }) => client.initiateQuickConnect
  },
  {
    name: "quickConnectStatus",
    method: "GET",
    path: "/QuickConnect/Connect",
    retried: true,
    decodes: true,
    run: ({ client, request }) => client.quickConnectStatus(request)
  },
  {
    name: "authenticateWithQuickConnect",
    method: "POST",
    path: "/Users/AuthenticateWithQuickConnect",
    retried: false,
    decodes: true,
    run: ({ client, request }) => client.authenticateWithQuickConnect(request)
  },
  {
    name: "authorizeQuickConnect",
    method: "POST",
    path: "/QuickConnect/Authorize",
    // Not idempotent on the server: a second authorization of one code is a 500.
    retried: false,
    decodes: false,
    run: ({ client, pending, token }) => client.authorizeQuickConnect(token, pending.code)
  },
  {
    name: "quickConnect stream, polling",
    method: "GET",
    path: "/QuickConnect/Connect",
    retried: true,
    decodes: true,
    step: true,
    run: ({ client }) => Stream.runDrain(client.quickConnect({ interval: "1 millis" }))
  },
  {
    name: "quickConnect stream, signing in",
    method: "POST",
    path: "/Users/AuthenticateWithQuickConnect",
    retried: false,
    decodes: true,
    step: true,
    run: ({ authorize, client }) =>
      client.quickConnect({ interval: "1 millis" }).pipe(
        Stream.tap((event) => event._tag === "CodeCreated" ? authorize(event.code) : Effect.void),
        Stream.runDrain
      )
  }
]

const embyCalls: ReadonlyArray<Call<EmbyContext>> = [
  {
    // The un-prefixed path answers 404, then the fault hits the /emby one.
    name: "probe",
    method: "GET",
    path: "/emby/System/Info/Public",
    retried: false,
    decodes: true,
    run: ({ address }) => MediaServer.probe(address)
  },
  {
    name: "publicInfo",
    method: "GET",
    path: "/emby/System/Info/Public",
    retried: true,
    decodes: true,
    run: ({ client }) => client.publicInfo
  },
  {
    name: "authenticateByName",
    method: "POST",
    path: "/emby/Users/AuthenticateByName",
    retried: false,
    decodes: true,
    run: ({ client }) => client.authenticateByName(alice)
  },
  {
    name: "exchange",
    method: "GET",
    path: "/emby/Connect/Exchange",
    retried: true,
    decodes: true,
    run: ({ client, connectUserId }) => client.exchange({ connectUserId, accessKey: Redacted.make(ACCESS_KEY) })
  },
  {
    name: "currentUser",
    method: "GET",
    path: "/emby/Users/Me",
    retried: true,
    decodes: true,
    run: ({ client, token }) => client.currentUser(token)
  },
  {
    name: "logout",
    method: "POST",
    path: "/emby/Sessions/Logout",
    retried: true,
    decodes: false,
    run: ({ client, token }) => client.logout(token)
  }
]

/** Runs a call with the fault policy (`probe` reads it from context, the clients were built with it). */
const runCall = <C>(call: Call<C>, context: C, client: HttpClient.HttpClient) =>
  run(call.run(context).pipe(
    Effect.provideService(HttpClient.HttpClient, client),
    Effect.provide(fastPolicy(faultPolicy))
  ))

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("every MediaServer call under faults", (it) => {
  const table = <C extends Base>(
    server: string,
    setUp: (options: Options) => Effect.Effect<C, never, Scope.Scope | HttpClient.HttpClient>,
    calls: ReadonlyArray<Call<C>>
  ) => {
    for (const call of calls) {
      const name = `${server} ${call.name}`
      for (const c of faultCases.filter((c) => c.once !== true)) {
        const e = expected(c, call)
        it.scoped(title(name, c, e), () =>
          Effect.gen(function*() {
            const http = yield* HttpClient.HttpClient
            const context = yield* setUp({ policy: faultPolicy })
            const filter = { method: call.method, path: call.path }
            const before = yield* context.fake.requests.count(filter)
            yield* context.fake.faults.set({ fault: c.fault, ...filter })
            const ran = yield* runCall(call, context, http)
            const sent = (yield* context.fake.requests.count(filter)) - before
            assertOutcome(name, c, e, ran, sent, yield* context.secrets)
          }))
      }
      if (call.step === true) continue
      const e = expected(refused, call)
      it.scoped(title(name, refused, e), () =>
        Effect.gen(function*() {
          const counting = yield* countingHttpClient
          const address = yield* refusedUrl
          const context = yield* setUp({ policy: faultPolicy, address }).pipe(
            Effect.provideService(HttpClient.HttpClient, counting.client)
          )
          const before = yield* counting.sent
          const ran = yield* runCall(call, context, counting.client)
          assertOutcome(name, refused, e, ran, (yield* counting.sent) - before, yield* context.secrets)
        }))
    }
  }

  table("Jellyfin", setUpJellyfin, jellyfinCalls)
  table("Emby", setUpEmby, embyCalls)

  it.scoped("interrupting a call waiting out an hour-long Retry-After stops it at once; nothing is sent after", () =>
    Effect.gen(function*() {
      const { client, fake, token } = yield* setUpJellyfin({
        policy: { ...faultPolicy, retries: 3, maxRetryAfter: "2 hours" }
      })
      yield* interruptDuringRetryAfter(fake, "/Users/Me", client.currentUser(token))
    }))

  it.scoped("interrupting a call while a retry hangs aborts it at once; nothing is sent after (Emby exchange)", () =>
    Effect.gen(function*() {
      // An hour-long timeout: only the interrupt can end the hung attempt.
      const { client, connectUserId, fake } = yield* setUpEmby({ policy: { ...faultPolicy, timeout: "1 hour", retries: 5 } })
      yield* interruptDuringHungRetry(
        fake,
        "/emby/Connect/Exchange",
        client.exchange({ connectUserId, accessKey: Redacted.make(ACCESS_KEY) })
      )
    }))
})
