/**
 * What the signing-in commands (`connect`, `server`, `get`, `sandbox --tour`) run on: an HTTP
 * client, the credential store in the config folder, the install id that DeviceIds derive from,
 * and the Emby Connect address. Commands stay thin: they call the operations in `ops.ts`, which
 * only need these services (a ConnectionManager can take their place later).
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Path from "@effect/platform/Path"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as CliError from "../../CliError.js"
import * as Global from "../../Global.js"
import * as Output from "../../Output.js"
import * as Trace from "./trace.js"
import * as TrustedCa from "./trustedCa.js"

/** Where the session lives. @internal */
export interface SessionConfig {
  /** The folder holding credentials.json and the install id. */
  readonly configDir: string
  /** The Emby Connect service URL (`MBAUTH_CONNECT_URL`, default the real service). */
  readonly connectUrl: string
  /** `--allow-insecure`: passwords may go over plain HTTP to a public address. */
  readonly allowInsecure: boolean
  /** `--cacert FILE` / `MBAUTH_CA_CERT`: more certificate authorities to trust for HTTPS. */
  readonly caCert?: string | undefined
}

/** @internal */
export class Session extends Context.Tag("@mbauth/cli/Session")<Session, SessionConfig>() {}

/** Services every operation may use. @internal */
export type Services = Session | CredentialStore.CredentialStore | HttpClient.HttpClient | KeyValueStore.KeyValueStore

const configError = (message: string) =>
  new CliError.UsageError({ message, hint: "pass --config-dir DIR or set MBAUTH_CONFIG_DIR" })

/** The session for the running command: `--config-dir`/`MBAUTH_CONFIG_DIR`, `MBAUTH_CONNECT_URL`. @internal */
export const fromGlobals: Effect.Effect<SessionConfig, CliError.UsageError, Global.Globals | Path.Path | Output.Output> = Effect.gen(
  function*() {
    const globals = yield* Global.Globals
    const path = yield* Path.Path
    const configDir = Option.isSome(globals.configDir)
      ? path.resolve(globals.configDir.value)
      : path.dirname(yield* Effect.mapError(CredentialStore.defaultPath, (e) => configError(`no config folder: ${e.message}`)))
    // A relative folder depends on where the command runs: say where it landed.
    if (Option.isSome(globals.configDir) && !path.isAbsolute(globals.configDir.value)) {
      yield* Output.note(`config folder: ${configDir}`)
    }
    const connectUrl = yield* Config.string("MBAUTH_CONNECT_URL").pipe(
      Config.withDefault(EmbyConnect.DEFAULT_BASE_URL),
      Effect.orElseSucceed(() => EmbyConnect.DEFAULT_BASE_URL)
    )
    return {
      configDir,
      connectUrl: connectUrl === "" ? EmbyConnect.DEFAULT_BASE_URL : connectUrl,
      allowInsecure: globals.allowInsecure,
      caCert: Option.getOrUndefined(globals.caCert)
    }
  }
)

/** The key of the install id in the config folder (DeviceIds derive from it). @internal */
export const installIdKey = "install-id"

// Everything under the config folder is owner-only: the folder 0700 (when mbauth creates it), and
// every file 0600, including one that an older version left readable by others.
const OWNER_ONLY_FILE = 0o600

/** The platform's file store, with every value written owner-only. */
const ownerOnlyStore = (configDir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.makeDirectory(configDir, { recursive: true, mode: 0o700 })
    const store = yield* Effect.provide(KeyValueStore.KeyValueStore, KeyValueStore.layerFileSystem(configDir))
    const fileOf = (key: string) => path.join(configDir, encodeURIComponent(key))
    const ownerOnly = (key: string) => fs.chmod(fileOf(key), OWNER_ONLY_FILE)
    const write = (key: string, value: string | Uint8Array) =>
      Effect.zipRight(
        typeof value === "string"
          ? fs.writeFileString(fileOf(key), value, { mode: OWNER_ONLY_FILE })
          : fs.writeFile(fileOf(key), value, { mode: OWNER_ONLY_FILE }),
        ownerOnly(key)
      )
    return KeyValueStore.make({
      // A file an older version wrote readable by others is made owner-only when it is read.
      get: (key) => Effect.tap(store.get(key), (value) => Option.isSome(value) ? ownerOnly(key) : Effect.void),
      getUint8Array: store.getUint8Array,
      set: write,
      remove: store.remove,
      clear: store.clear,
      size: store.size
    })
  })

const keyValueStore = (configDir: string): Layer.Layer<KeyValueStore.KeyValueStore, CliError.CommandFailed, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(KeyValueStore.KeyValueStore, ownerOnlyStore(configDir)).pipe(
    Layer.mapError((error) =>
      new CliError.CommandFailed({ code: "ConfigDirUnusable", message: `cannot use the config folder ${configDir}: ${error.message}` })
    )
  )

/**
 * The HTTP client of every command, traced with --verbose: fetch, or, with `--cacert FILE`, Node's
 * https client trusting that file's certificate authorities beside Node's own (fetch in Node takes
 * no CA of its own). @internal
 */
export const httpLayer = (caCert: string | undefined): Layer.Layer<HttpClient.HttpClient, CliError.UsageError, FileSystem.FileSystem> =>
  Trace.layer(
    caCert === undefined ? FetchHttpClient.layer : NodeHttpClient.layerWithoutAgent.pipe(
      Layer.provide(Layer.unwrapEffect(Effect.map(TrustedCa.read(caCert), (ca) => NodeHttpClient.makeAgentLayer({ ca: [...ca] }))))
    )
  )

/** Runs an effect with the HTTP client of the running command (`--cacert`). @internal */
export const provideHttp = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Global.Globals, (globals) => Effect.provide(effect, httpLayer(Option.getOrUndefined(globals.caCert))))

/** The services for one session. @internal */
export const layer = (
  config: SessionConfig
): Layer.Layer<Services, CliError.CommandFailed | CliError.UsageError, FileSystem.FileSystem | Path.Path> =>
  Layer.mergeAll(
    Layer.succeed(Session, config),
    httpLayer(config.caCert),
    Layer.unwrapEffect(
      Effect.map(Path.Path, (path) => CredentialStore.layerFile({ path: path.join(config.configDir, "credentials.json") }))
    ),
    keyValueStore(config.configDir)
  )

/** Runs an operation in the session of the running command. @internal */
export const provide = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<
  A,
  E | CliError.UsageError | CliError.CommandFailed,
  Exclude<R, Services> | Global.Globals | Path.Path | FileSystem.FileSystem | Output.Output
> =>
  Effect.flatMap(fromGlobals, (config) => Effect.provide(effect, layer(config)))
