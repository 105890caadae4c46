/**
 * The default server (`mbauth server use NAME`): the ServerId kept in the config folder, used by
 * the commands whose SERVER is left out.
 *
 * @internal
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliError from "../../CliError.js"
import * as Ops from "./ops.js"

/** The key of the default server's ServerId in the config folder. @internal */
export const key = "default-server"

const unusable = (action: string) => (error: { readonly message: string }) =>
  new CliError.CommandFailed({ code: "ConfigDirUnusable", message: `cannot ${action} the default server: ${error.message}` })

/** The default server's ServerId, if one is set. @internal */
export const get = Effect.flatMap(KeyValueStore.KeyValueStore, (store) => store.get(key)).pipe(
  Effect.map(Option.map((id) => id.trim())),
  Effect.map(Option.filter((id) => id !== "")),
  Effect.mapError(unusable("read"))
)

/** Makes a ServerId the default server. @internal */
export const set = (serverId: string) =>
  Effect.flatMap(KeyValueStore.KeyValueStore, (store) => store.set(key, serverId)).pipe(Effect.mapError(unusable("save")))

/**
 * The saved server a command names, or the default server when it names none.
 *
 * @internal
 */
export const resolve = (query: Option.Option<string>) =>
  Effect.gen(function*() {
    // An empty SERVER is one left out (Argv.fillOptionalArgs puts it in).
    if (Option.isSome(query) && query.value !== "") return yield* Ops.resolveServer(query.value)
    const id = yield* get
    if (Option.isNone(id)) {
      return yield* new CliError.UsageError({
        message: "no SERVER given, and there is no default server",
        hint: "name one, or choose the default with: mbauth server use NAME"
      })
    }
    return yield* Ops.resolveServer(id.value).pipe(
      Effect.catchIf(
        (error) => error._tag === "CommandFailed" && error.code === "UnknownServer",
        () =>
          new CliError.CommandFailed({
            code: "UnknownServer",
            message: `the default server (${id.value}) is no longer saved`,
            hint: "choose another with: mbauth server use NAME"
          })
      )
    )
  })
