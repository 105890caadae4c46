/**
 * The saved servers' names for shell completion: read from the credential file of the config
 * folder the command line names (`--config-dir`, else MBAUTH_CONFIG_DIR, else the platform's),
 * never over the network; nothing is written. Any problem gives no names, so a TAB stays quiet.
 *
 * @internal
 */
import * as Path from "@effect/platform/Path"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"

const configDirOf = (words: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    if (word.startsWith("--config-dir=")) return word.slice("--config-dir=".length)
    if (word === "--config-dir" && i + 1 < words.length - 1) return words[i + 1]
  }
  return undefined
}

/** @internal */
export const names = (words: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const path = yield* Path.Path
    const fromEnv = yield* Config.string("MBAUTH_CONFIG_DIR").pipe(Config.withDefault(""))
    const dir = configDirOf(words) ?? fromEnv
    const file = dir !== "" ? path.join(path.resolve(dir), "credentials.json") : yield* CredentialStore.defaultPath
    const store = yield* CredentialStore.makeFile({ path: file })
    const servers = yield* store.listServers
    return servers.flatMap((server) => (server.name !== undefined && server.name !== "" ? [server.name] : [server.id]))
  }).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
