/**
 * Secret hygiene: every client flow runs against the sandbox's fakes with canary secrets, a
 * logger capturing everything at every level (logfmt, JSON and string formats), a tracer
 * recording every span (attributes, events, the rendered exit), and faults injected, then every
 * capture and every rendering of every result and error (message, String, JSON, inspect,
 * Cause.pretty, the ClientError schema encoding) is searched for the secrets: static canaries
 * (passwords, AccessKey, API key, a wrong token) and every token the fakes minted (Connect tokens,
 * device tokens, Quick Connect secrets). The credential file is the one place they must appear,
 * in a 0600 file in a 0700 directory. The CLI flows run the built `mbauth` executable, the sign-in
 * ones against the same fakes.
 *
 * A new flow (a new client call, a new CLI command) is one more entry in `flows` or `cliFlows`.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodePath from "@effect/platform-node/NodePath"
import { SystemError } from "@effect/platform/Error"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as ClientError from "@mbauth/core/ClientError"
import * as ClientInfo from "@mbauth/core/ClientInfo"
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import type { TransportName } from "@mbauth/core/Credentials"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as RequestSigning from "@mbauth/core/RequestSigning"
import {
  type FakeEmbyConnectService,
  type FakeEmbyServer,
  type FakeJellyfinServer,
  Fault,
  type Faults,
  makeFakeEmby,
  makeFakeEmbyConnect,
  makeFakeJellyfin
} from "@mbauth/testing"
import { afterAll, assert, beforeAll, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { execFile, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Capture from "./utils/capture.js"
import { tempWrites } from "./fixtures/fileSystemFaults.js"

// ---------------------------------------------------------------------------------------------
// Canaries and the sandbox
// ---------------------------------------------------------------------------------------------

const CANARY = {
  connectPassword: "CANARY-connect-PASSWORD-5f1e",
  serverPassword: "CANARY-server-PASSWORD-9a2b",
  accessKey: "CANARYaccessKEY00112233445566778",
  apiKey: "CANARYapiKEY0011223344556677889a",
  wrongToken: "CANARYwrongTOKEN00112233445566a",
  cliToken: "CANARYcliTOKEN001122334455667788"
} as const

const CLIENT: ClientInfo.ClientInfo = { client: "mbauth hygiene", version: "1.0.0", device: "vitest", deviceId: "hygiene-device" }

/** Retries and timeouts small enough that every fault ends in milliseconds. */
const policy = ClientPolicy.layer({ retries: 1, timeout: "400 millis", backoff: "1 millis", maxBackoff: "2 millis" })

interface Env {
  readonly connectFake: FakeEmbyConnectService
  readonly jellyfinFake: FakeJellyfinServer
  readonly embyFake: FakeEmbyServer
  readonly connect: EmbyConnect.Service
  readonly jellyfin: MediaServer.Service
  readonly emby: MediaServer.Service
  readonly storeDir: string
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mbauth-hygiene-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
let envs = 0

/** A fresh sandbox: Connect, a Jellyfin 10.11 (legacy on, Quick Connect) and an Emby server linked to Connect. */
const makeEnv = Effect.gen(function*() {
  const connectFake = yield* makeFakeEmbyConnect({
    users: [{ name: "alice", email: "alice@example.com", password: CANARY.connectPassword }]
  })
  const users = [{ name: "alice", password: CANARY.serverPassword, isAdministrator: true }]
  const apiKeys = [{ name: "hygiene", key: CANARY.apiKey }]
  const jellyfinFake = yield* makeFakeJellyfin({ profile: "jellyfin-10.11", users, apiKeys, quickConnect: true })
  const embyFake = yield* makeFakeEmby({
    users: [{ ...users[0]!, connectUser: "alice" }],
    apiKeys,
    connect: connectFake
  })
  yield* connectFake.addServer({
    systemId: embyFake.id,
    name: "Hygiene Emby",
    url: embyFake.url,
    users: [{ user: "alice", accessKey: CANARY.accessKey }]
  })
  const connect = yield* EmbyConnect.make({ appName: "mbauth-hygiene", appVersion: "1.0.0", baseUrl: connectFake.serviceUrl, pinPollInterval: "10 millis" })
  const jellyfin = yield* MediaServer.make({ address: jellyfinFake.url, profile: "jellyfin-10.11", clientInfo: CLIENT, quickConnectPollInterval: "10 millis" })
  const emby = yield* MediaServer.make({ address: embyFake.url, profile: "emby", clientInfo: CLIENT })
  const storeDir = path.join(root, `env-${++envs}`, "mbauth")
  return { connectFake, jellyfinFake, embyFake, connect, jellyfin, emby, storeDir } satisfies Env
}).pipe(Effect.provide(policy))

/** Every secret of the sandbox: the canaries and whatever the fakes minted so far. */
const secretsOf = (env: Env): Effect.Effect<ReadonlyArray<string>> =>
  Effect.gen(function*() {
    const quickConnect = yield* env.jellyfinFake.quickConnectRequests
    return [
      ...Object.values(CANARY),
      ...(yield* env.connectFake.tokens),
      ...(yield* env.jellyfinFake.tokens),
      ...(yield* env.embyFake.tokens),
      ...quickConnect.map((r) => r.secret)
    ]
  })

// ---------------------------------------------------------------------------------------------
// The flows
// ---------------------------------------------------------------------------------------------

/** Where a flow's faults go: a fake's fault list and the requests they hit. */
interface FaultTarget {
  readonly faults: Faults
  readonly path?: string | RegExp
}

interface Flow {
  readonly name: string
  /**
   * Runs once without faults (it must succeed) and once per fault below with the faults set on
   * these targets (it must then fail with a typed error or recover). Without targets the flow
   * injects its own failures.
   */
  readonly faultTargets?: (env: Env) => ReadonlyArray<FaultTarget>
  /** The faults to run with (default: every one of {@link FAULTS}); slow flows pick a few. */
  readonly faults?: ReadonlyArray<string>
  /** The flow; what it returns or fails with is rendered and searched. */
  readonly run: (env: Env) => Effect.Effect<unknown, unknown, HttpClient.HttpClient | FileSystem.FileSystem | Path.Path>
}

const connectPassword = Redacted.make<string>(CANARY.connectPassword)
const alice = { username: "alice", password: Redacted.make<string>(CANARY.serverPassword) }

const connectSignIn = (env: Env) => env.connect.authenticate({ nameOrEmail: "alice", password: connectPassword })

/** A client signing with `token` over `transport`, failing on non-2xx answers. */
const signedGet = (env: Env, token: string, transport: TransportName | undefined, url: string) =>
  Effect.gen(function*() {
    const client = yield* RequestSigning.signClient(yield* HttpClient.HttpClient, {
      profile: "jellyfin-10.11",
      clientInfo: CLIENT,
      token: Redacted.make(token),
      ...(transport === undefined ? {} : { transport })
    })
    const response = yield* HttpClient.filterStatusOk(client).execute(HttpClientRequest.get(`${env.jellyfinFake.url}${url}`))
    return { status: response.status, request: response.request, body: yield* response.json }
  }).pipe(
    // The raw platform client has no timeout of its own (the mbauth clients take theirs from ClientPolicy).
    Effect.timeoutFail({ duration: "1 second", onTimeout: () => new SignedCallTimeout() }),
    Effect.scoped
  )

class SignedCallTimeout extends Data.TaggedError("SignedCallTimeout") {}

const flows: ReadonlyArray<Flow> = [
  {
    name: "EmbyConnect: password sign-in",
    faultTargets: (env) => [{ faults: env.connectFake.faults, path: "/service/user/authenticate" }],
    run: connectSignIn
  },
  {
    name: "EmbyConnect: PIN sign-in (create, poll, confirm, exchange)",
    faultTargets: (env) => [{ faults: env.connectFake.faults, path: "/service/pin/authenticate" }],
    run: (env) =>
      Stream.runCollect(
        env.connect.signInWithPin({ deviceId: "hygiene-pin", interval: "10 millis", expireAfter: "10 seconds" }).pipe(
          Stream.tap((event) => event._tag === "PinCreated" ? env.connectFake.confirmPin(event.pin, "alice") : Effect.void)
        )
      ).pipe(Effect.map(Chunk.toReadonlyArray))
  },
  {
    name: "EmbyConnect: user and servers (AccessKeys)",
    faultTargets: (env) => [{ faults: env.connectFake.faults, path: /^\/service\/(user|servers)$/ }],
    run: (env) =>
      Effect.gen(function*() {
        const session = yield* connectSignIn(env)
        return [yield* env.connect.user(session), yield* env.connect.servers(session)]
      })
  },
  {
    name: "EmbyConnect: logout",
    faultTargets: (env) => [{ faults: env.connectFake.faults, path: "/service/user/logout" }],
    run: (env) => Effect.flatMap(connectSignIn(env), env.connect.logout)
  },
  {
    name: "MediaServer: password sign-in, current user, logout (Jellyfin)",
    faultTargets: (env) => [{ faults: env.jellyfinFake.faults, path: /^\/Users\/(AuthenticateByName|Me)$|^\/Sessions\/Logout$/ }],
    run: (env) =>
      Effect.gen(function*() {
        const signIn = yield* env.jellyfin.authenticateByName(alice)
        const user = yield* env.jellyfin.currentUser(signIn)
        yield* env.jellyfin.logout(signIn)
        return [signIn, user]
      })
  },
  {
    name: "MediaServer: Emby Connect exchange (AccessKey → token), current user, logout",
    faultTargets: (env) => [{ faults: env.embyFake.faults, path: /^\/emby\/(Connect\/Exchange|Users\/Me)$/ }],
    run: (env) =>
      Effect.gen(function*() {
        const session = yield* connectSignIn(env)
        const [server] = yield* env.connect.servers(session)
        const exchanged = yield* env.emby.exchange({ connectUserId: session.userId, accessKey: server!.accessKey })
        const user = yield* env.emby.currentUser(exchanged)
        yield* env.emby.logout(exchanged)
        return [server, exchanged, user]
      })
  },
  {
    name: "MediaServer: Quick Connect (secret in the poll's query)",
    faultTargets: (env) => [{ faults: env.jellyfinFake.faults, path: /^\/(QuickConnect\/Connect|Users\/AuthenticateWithQuickConnect)$/ }],
    run: (env) =>
      Stream.runCollect(
        env.jellyfin.quickConnect({ interval: "10 millis", expireAfter: "10 seconds" }).pipe(
          Stream.tap((event) =>
            event._tag === "CodeCreated" ? env.jellyfinFake.authorizeQuickConnect(event.code, "alice") : Effect.void
          )
        )
      ).pipe(Effect.map(Chunk.toReadonlyArray))
  },
  {
    name: "RequestSigning: a user token over every transport",
    faultTargets: (env) => [{ faults: env.jellyfinFake.faults, path: "/Users/Me" }],
    run: (env) =>
      Effect.gen(function*() {
        const signIn = yield* env.jellyfin.authenticateByName(alice)
        const token = Redacted.value(signIn.accessToken)
        const transports = [undefined, "X-Emby-Token", "X-MediaBrowser-Token", "ApiKey", "api_key"] as const
        return yield* Effect.forEach(transports, (transport) => signedGet(env, token, transport, "/Users/Me"))
      })
  },
  {
    name: "RequestSigning + ServerAuthentication: an API key, and a rejected token",
    faultTargets: (env) => [{ faults: env.jellyfinFake.faults, path: "/System/Info/Public" }],
    run: (env) =>
      Effect.gen(function*() {
        const apiKey = yield* signedGet(env, CANARY.apiKey, "ApiKey", "/System/Info/Public")
        // The server logs and answers 401 for an unknown token: neither may show it.
        const rejected = yield* Effect.flip(signedGet(env, CANARY.wrongToken, undefined, "/Users/Me"))
        const signer = yield* RequestSigning.make({ profile: "jellyfin-10.11", clientInfo: CLIENT, token: Redacted.make(CANARY.apiKey) })
        return [apiKey, rejected, yield* signer.webSocketUrl(`${env.jellyfinFake.url.replace("http", "ws")}/socket`)]
      })
  },
  {
    name: "ConnectionManager: Connect sign-in, connect (exchange), password sign-in, signed client, health, sign-out",
    faultTargets: (env) => [
      { faults: env.jellyfinFake.faults, path: /^\/Users\/(AuthenticateByName|Me)$/ },
      { faults: env.embyFake.faults, path: "/emby/Connect/Exchange" }
    ],
    run: (env) =>
      Effect.gen(function*() {
        // A file store, so the manager's saves go through the file layer too.
        const store = yield* CredentialStore.makeFile({ path: path.join(env.storeDir, "manager", "credentials.json") })
        const manager = yield* ConnectionManager.make({ discovery: false }).pipe(
          Effect.provide(Layer.mergeAll(
            Layer.succeed(CredentialStore.CredentialStore, store),
            Layer.succeed(ClientInfo.ClientInfo, CLIENT),
            Layer.succeed(EmbyConnect.EmbyConnect, env.connect),
            policy
          ))
        )
        const connect = yield* manager.connectSignIn({ nameOrEmail: "alice", password: connectPassword })
        const emby = yield* manager.connect()
        yield* manager.connectToAddress(env.jellyfinFake.url)
        const signedIn = yield* manager.signIn(env.jellyfinFake.id, alice)
        const client = yield* manager.client(env.jellyfinFake.id)
        const me = yield* Effect.flatMap(client.get("Users/Me"), (response) => response.json)
        const health = yield* manager.health(env.jellyfinFake.id)
        const out = yield* manager.signOut(env.jellyfinFake.id)
        return [connect, emby, signedIn, me, health, out, yield* manager.connections, yield* store.get]
      }).pipe(Effect.provide(policy))
  },
  {
    name: "CredentialStore: the file layer keeps the secrets; its errors never show them",
    run: (env) =>
      Effect.gen(function*() {
        const session = yield* connectSignIn(env)
        const [server] = yield* env.connect.servers(session)
        const signIn = yield* env.jellyfin.authenticateByName(alice)
        const file = path.join(env.storeDir, "credentials.json")
        const store = yield* CredentialStore.makeFile({ path: file })
        yield* store.setConnect({ userId: session.userId, accessToken: session.accessToken })
        yield* store.upsertServer({
          id: server!.serverId,
          name: server!.name,
          product: "Emby",
          connect: { accessKey: server!.accessKey },
          users: []
        })
        yield* store.setUser(signIn.serverId, { id: signIn.user.id, name: "alice", accessToken: signIn.accessToken })
        const saved = yield* store.get

        // The file holds them in clear, owner-only.
        const text = fs.readFileSync(file, "utf8")
        for (const secret of [session.accessToken, server!.accessKey, signIn.accessToken]) {
          assert.include(text, Redacted.value(secret))
        }
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
        assert.strictEqual(fs.statSync(env.storeDir).mode & 0o777, 0o700)
        assert.deepStrictEqual(fs.readdirSync(env.storeDir), ["credentials.json"], "no lock or temp file left")

        // Failures: a full disk while writing a secret, and corrupt files with secrets in them.
        const fullDisk = tempWrites((f, buffer) =>
          Effect.zipRight(
            f.writeAll(buffer.subarray(0, buffer.length >> 1)),
            Effect.fail(
              new SystemError({
                reason: "Unknown",
                module: "FileSystem",
                method: "writeAll",
                pathOrDescriptor: f.fd,
                description: "ENOSPC: no space left on device, write"
              })
            )
          )
        )
        const full = yield* Effect.flip(
          Effect.flatMap(
            CredentialStore.makeFile({ path: file }).pipe(Effect.provide(Layer.merge(fullDisk, NodePath.layer))),
            (s) => s.setConnect({ userId: "x", accessToken: Redacted.make(CANARY.wrongToken) })
          )
        )
        assert.strictEqual(full._tag, "CredentialFileUnwritable")
        const corrupt: Array<CredentialStore.CredentialStoreError> = []
        const token = Redacted.value(session.accessToken)
        for (
          const content of [
            `${token} {"version":2}`,
            `{"version":2,"connect":{"userId":"u","accessToken":"${token}"`,
            `{"version":2,"connect":{"userId":"u","accessToken":{"value":"${token}"}}}`,
            `{"version":2,"servers":{"s":{"users":{"u":{"accessToken":["${token}"]}}}}}`
          ]
        ) {
          const bad = path.join(env.storeDir, "corrupt.json")
          fs.writeFileSync(bad, content, { mode: 0o600 })
          corrupt.push(yield* Effect.flip(Effect.flatMap(CredentialStore.makeFile({ path: bad }), (s) => s.get)))
        }
        return [saved, full, ...corrupt]
      })
  }
]

// ---------------------------------------------------------------------------------------------
// CLI flows: the built executable in a child process, as a user runs it
// ---------------------------------------------------------------------------------------------

const cliRoot = fileURLToPath(new URL("../../cli/", import.meta.url))
const cliBin = path.join(cliRoot, "dist", "bin.mjs")

beforeAll(() => {
  // `npm test` builds it first; run alone, the test builds it when it is missing.
  if (fs.existsSync(cliBin)) return
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: cliRoot, encoding: "utf8" })
  if (built.status !== 0) throw new Error(`building the CLI failed:\n${built.stderr}`)
}, 120_000)

interface CliRun {
  readonly command: string
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `mbauth args` with a clean environment; `command` labels the run (the arguments may hold a
 * secret, so they are not part of the result). Usage errors (exit 2) mean the flow is wrong.
 */
const mbauth = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly stdin?: string; readonly env?: Readonly<Record<string, string>> } = {}
): Effect.Effect<CliRun> =>
  Effect.async<CliRun>((resume) => {
    const child = execFile(
      process.execPath,
      [cliBin, ...args],
      { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...options.env }, timeout: 20_000 },
      (_error, stdout, stderr) => resume(Effect.succeed({ command, exitCode: child.exitCode, stdout, stderr }))
    )
    child.stdin?.end(options.stdin ?? "")
  }).pipe(Effect.tap((run) => assert.notStrictEqual(run.exitCode, 2, `${command}: usage error\n${run.stderr}`)))

const T = CANARY.cliToken
const identity = ["--client", "Hygiene", "--version", "1.0", "--device", "vitest", "--device-id", "hygiene"]

const cliFlows: ReadonlyArray<Flow> = [
  {
    name: "CLI: header format, token from stdin and MBAUTH_TOKEN, every transport, --json, --verbose",
    run: () =>
      Effect.all([
        mbauth("format header", ["header", "format", ...identity, "--token-stdin", "--verbose"], { stdin: `${T}\n` }),
        mbauth("format curl json", ["--json", "header", "format", ...identity, "--token-stdin", "--transport", "curl"], { stdin: T }),
        mbauth("format query env", ["header", "format", ...identity, "--transport", "query", "--verbose"], { env: { MBAUTH_TOKEN: T } }),
        mbauth("format sdk emby", ["header", "format", ...identity, "--style", "jellyfin-sdk", "--scheme", "Emby", "--json"], {
          env: { MBAUTH_TOKEN: T }
        }),
        // Batch input with failures: a lone surrogate no header can carry, a token of the wrong type.
        mbauth("format batch", ["header", "format", "--stdin", "--input", "jsonl", "--verbose"], {
          stdin: [`{"Token":"${T}\\ud800","Client":"x"}`, `{"Token":"${T}","Client":"y"}`, `{"Token":5}`].join("\n")
        }),
        mbauth("format batch json", ["--json", "header", "format", "--stdin", "--input", "jsonl"], {
          stdin: `{"Token":"${T}\\ud800","Client":"x"}\n{"Token":"${T}",}`
        })
      ])
  },
  {
    name: "CLI: header parse, well-formed and broken headers with tokens, --json, --verbose",
    run: () =>
      Effect.all([
        mbauth("parse ok", ["header", "parse", `MediaBrowser Token="${T}", Client="x"`, "--verbose"]),
        mbauth("parse json", ["--json", "header", "parse", `MediaBrowser Client="Jellyfin Web", Token="${T}"`]),
        mbauth("parse swallowed", ["header", "parse", `MediaBrowser Device="a \\"b", Token="${T}", Client="x"`, "--verbose"]),
        mbauth("parse unquoted", ["--json", "header", "parse", `MediaBrowser Version=",Token=${T}`]),
        mbauth("parse legacy off", ["header", "parse", `Emby Token="${T}"`, "--no-legacy", "--verbose"])
      ])
  },
  {
    name: "CLI: header lint, with swallowed and misspelt tokens, --json, --verbose",
    run: () =>
      Effect.all([
        mbauth("lint swallowed", ["header", "lint", `MediaBrowser Client="Kodi \\"Omega\\", Token="${T}", Device="TV"`, "--verbose"]),
        mbauth("lint json", ["--json", "header", "lint", `MediaBrowser token=${T}, Token=${T}==`, "--profile", "jellyfin-12"]),
        mbauth("lint emby", ["header", "lint", `Emby Token="${T}"`, "--profile", "jellyfin-12", "--header-name", "X-Emby-Authorization"])
      ])
  },
  {
    name: "CLI: request explain, tokens in several transports, --json, --verbose",
    run: () =>
      Effect.all([
        mbauth("explain", [
          "request",
          "explain",
          "-H",
          `Authorization: MediaBrowser Token="${T}"`,
          "-H",
          `X-Emby-Token: ${T}x`,
          "-q",
          `api_key=${T}y`,
          "--verbose"
        ]),
        mbauth("explain json", ["--json", "request", "explain", "-H", `X-Emby-Authorization: Emby Token="${T}"`, "-q", `ApiKey=${T}`])
      ])
  }
]

/** A run that exited non-zero fails the flow (its output is rendered and searched like any error). */
const succeeded = (run: CliRun): Effect.Effect<CliRun, CliRun> => run.exitCode === 0 ? Effect.succeed(run) : Effect.fail(run)

const cliSignInFlows: ReadonlyArray<Flow> = [
  {
    name: "CLI: connect login/servers/logout, server add/login/list/logout, get, against the sandbox",
    faultTargets: (env) => [{ faults: env.jellyfinFake.faults, path: "/Users/Me" }],
    faults: ["malformed JSON (the real answer, secrets and all)", "401 echoing secrets"],
    run: (env) =>
      Effect.gen(function*() {
        const configDir = path.join(env.storeDir, `cli-${Math.random().toString(16).slice(2)}`)
        const environment = { MBAUTH_CONFIG_DIR: configDir, MBAUTH_CONNECT_URL: env.connectFake.serviceUrl }
        const cli = (command: string, args: ReadonlyArray<string>, stdin?: string) =>
          Effect.flatMap(
            mbauth(command, [...args, "--verbose"], { env: environment, ...(stdin === undefined ? {} : { stdin }) }),
            succeeded
          )
        const runs = [
          yield* cli("connect login", ["connect", "login", "--user", "alice@example.com", "--password-stdin"], CANARY.connectPassword),
          yield* cli("connect servers", ["--json", "connect", "servers"]),
          yield* cli("server login emby", ["server", "login", env.embyFake.id]),
          yield* cli("server add", ["server", "add", env.jellyfinFake.url]),
          yield* cli("server login", ["server", "login", env.jellyfinFake.id, "--user", "alice", "--password-stdin"], CANARY.serverPassword),
          yield* cli("server list", ["--json", "server", "list"]),
          yield* cli("get", ["--json", "get", env.jellyfinFake.id, "/Users/Me"]),
          yield* cli("get emby", ["get", env.embyFake.id, "/Users/Me"])
        ]
        // The sign-ins are in the CLI's credential file, owner-only.
        const file = path.join(configDir, "credentials.json")
        const text = fs.readFileSync(file, "utf8")
        assert.include(text, CANARY.accessKey)
        assert.isTrue((yield* env.jellyfinFake.tokens).some((token) => text.includes(token)), "the server token")
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600)
        assert.strictEqual(fs.statSync(configDir).mode & 0o777, 0o700)
        runs.push(
          yield* cli("server logout", ["server", "logout", env.jellyfinFake.id]),
          yield* cli("connect logout", ["connect", "logout"])
        )
        return runs
      })
  }
]

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

// Secret-named fields, as a broken server or proxy might echo them in an error body.
const SECRET_BODY = JSON.stringify({
  Message: "request failed",
  AccessToken: CANARY.wrongToken,
  Password: CANARY.serverPassword,
  Pw: CANARY.connectPassword,
  AccessKey: CANARY.accessKey,
  api_key: CANARY.apiKey
})

const FAULTS: ReadonlyArray<{ readonly name: string; readonly fault: Fault }> = [
  { name: "malformed JSON (the real answer, secrets and all)", fault: Fault.MalformedJson() },
  { name: "truncated JSON", fault: Fault.TruncatedJson() },
  { name: "500 echoing secrets", fault: Fault.Status({ status: 500, body: SECRET_BODY }) },
  { name: "401 echoing secrets", fault: Fault.Status({ status: 401, body: SECRET_BODY }) },
  { name: "403 as form text", fault: Fault.Status({ status: 403, body: `Pw=${CANARY.serverPassword}&AccessToken=${CANARY.wrongToken}` }) },
  { name: "reset mid-body", fault: Fault.ResetMidBody() },
  { name: "429", fault: Fault.RateLimit({ retryAfter: "0" }) },
  { name: "accept and hang", fault: Fault.Hang() }
]

const json = (u: unknown): string => {
  try {
    return JSON.stringify(u) ?? ""
  } catch {
    return ""
  }
}

/** Every way a value or error reaches a user, a log or an exporter. */
const render = (u: unknown): ReadonlyArray<string> => [
  String(Inspectable.format(u)),
  String(u),
  json(u),
  ...(u instanceof Error ? [u.message, u.stack ?? ""] : []),
  ...(ClientError.isClientError(u) ? [json(Schema.encodeSync(ClientError.ClientError)(u))] : [])
]

const renderExit = (exit: Exit.Exit<unknown, unknown>): ReadonlyArray<string> =>
  Exit.isSuccess(exit)
    ? render(exit.value)
    : [
      Cause.pretty(exit.cause, { renderErrorCause: true }),
      ...Chunk.toReadonlyArray(Cause.failures(exit.cause)).flatMap(render),
      ...Chunk.toReadonlyArray(Cause.defects(exit.cause)).flatMap(render)
    ]

/** Where a secret shows up, with some context, or undefined. */
const findLeak = (texts: ReadonlyArray<string>, secrets: ReadonlyArray<string>): string | undefined => {
  for (const text of texts) {
    for (const secret of secrets) {
      const at = text.indexOf(secret)
      if (at >= 0) return `…${text.slice(Math.max(0, at - 300), at)}[SECRET]${text.slice(at + secret.length, at + secret.length + 100)}…`
    }
  }
  return undefined
}

/** All captures, for the final check that the harness saw what it should. */
const captures: Array<Capture.Capture> = []

layer(Layer.mergeAll(NodeHttpClient.layerUndici, NodeContext.layer), { excludeTestServices: true })("secret hygiene", (it) => {
  for (const flow of [...flows, ...cliFlows, ...cliSignInFlows]) {
    it.scoped(flow.name, () =>
      Effect.gen(function*() {
        const capture = Capture.makeCapture()
        captures.push(capture)
        const texts: Array<string> = []
        const { clean, faulted, secrets } = yield* Effect.gen(function*() {
          const env = yield* makeEnv
          const attempt = (label: string) =>
            Effect.gen(function*() {
              const exit = yield* Effect.exit(flow.run(env).pipe(Effect.withSpan(`hygiene: ${label}`)))
              // What an application would log about the outcome, at every level.
              yield* Effect.logDebug(`${flow.name}: ${label}`, exit)
              if (Exit.isFailure(exit)) yield* Effect.logError(exit.cause)
              texts.push(...renderExit(exit))
              return exit
            })
          const clean = yield* attempt("no fault")
          const faulted: Array<Exit.Exit<unknown, unknown>> = []
          const faults = flow.faultTargets === undefined
            ? []
            : FAULTS.filter((f) => flow.faults === undefined || flow.faults.includes(f.name))
          for (const { fault, name } of faults) {
            const targets = flow.faultTargets!(env)
            yield* Effect.forEach(targets, (t) => t.faults.set({ fault, ...(t.path === undefined ? {} : { path: t.path }) }))
            faulted.push(yield* attempt(name))
            yield* Effect.forEach(targets, (t) => t.faults.clear)
          }
          return { clean, faulted, secrets: yield* secretsOf(env) }
        }).pipe(Effect.provide(Capture.layer(capture)))

        assert.isTrue(Exit.isSuccess(clean), `${flow.name} must succeed without faults:\n${renderExit(clean)[0]}`)
        if (flow.faultTargets !== undefined) {
          assert.isTrue(faulted.some(Exit.isFailure), "the faults made the flow fail")
          for (const exit of faulted) {
            if (Exit.isFailure(exit)) assert.strictEqual(Cause.defects(exit.cause).length, 0, "typed errors, never defects")
          }
        }
        const leak = findLeak([Capture.dump(capture), ...texts], secrets)
        assert.isUndefined(leak, `${flow.name} leaks a secret: ${leak}`)
      }), 120_000)
  }

  it("the captures were not empty: logs at debug level, client and server spans with redacted token headers", () => {
    const logs = captures.flatMap((c) => c.logs)
    const spans = captures.flatMap((c) => c.spans)
    assert.isTrue(logs.some((line) => line.includes("level=DEBUG") && line.includes("retrying")), "retry debug logs")
    assert.isTrue(logs.some((line) => line.includes("level=WARN") && line.includes("query parameter")), "query token warning")
    assert.isTrue(spans.some((s) => s.name === "EmbyConnect.authenticate"))
    assert.isTrue(spans.some((s) => s.name === "MediaServer.exchange"))
    assert.isTrue(spans.some((s) => s.kind === "client" && s.attributes["http.request.header.x-connect-usertoken"] === "<redacted>"))
    assert.isTrue(spans.some((s) => s.kind === "client" && s.attributes["http.request.header.x-emby-token"] === "<redacted>"))
    assert.isTrue(spans.some((s) => s.kind === "server" && s.attributes["http.request.header.authorization"] === "<redacted>"))
  })
})
