/**
 * Row 9: what mbauth adds to a web page, in minified and gzipped bytes of esbuild bundles built
 * for the browser from the packages' published output (`dist/`, as an app's bundler sees them).
 *
 * - 9a: the dependency-free generated header module on its own, against its 10 kB budget;
 * - 9b: a browser client that signs its requests with `RequestSigning` over `FetchHttpClient`,
 *   against the same client written with Effect and @effect/platform alone (it formats the
 *   header itself): what mbauth adds must stay within 15 kB;
 * - 9c: the same client against @jellyfin/sdk with axios doing the same job (for reference).
 *
 * Sizes are exact, so each row has one sample.
 *
 * @since 0.1.0
 */
import { build } from "esbuild"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import type { Budget, Row } from "./Harness.js"
import { row } from "./Harness.js"

const resolveDir = fileURLToPath(new URL("..", import.meta.url))

/** Minified, gzipped size of a browser bundle of `contents`, in kB (1024 bytes). */
const bundledKb = async (contents: string): Promise<number> => {
  const result = await build({
    stdin: { contents, resolveDir, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    write: false,
    minify: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    legalComments: "none",
    logLevel: "silent"
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length / 1024
}

const generatedModule = `export * from "@mbauth/core/generated/MediaBrowserAuthorization"`

// The three clients do the same job: GET {server}/Users/Me with a token, as "My App" on "Laptop".
const withMbauth = `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as RequestSigning from "@mbauth/core/RequestSigning"

export const getMe = (server: string, token: string) =>
  Effect.gen(function*() {
    const client = yield* RequestSigning.signClient(yield* HttpClient.HttpClient, {
      profile: "jellyfin-12",
      clientInfo: { client: "My App", version: "1.0.0", device: "Laptop", deviceId: "dev-1" },
      token: Redacted.make(token)
    })
    const response = yield* client.pipe(HttpClient.filterStatusOk).get(server + "/Users/Me")
    return yield* response.json
  }).pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise)
`

const withEffectAlone = `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

export const getMe = (server: string, token: string) =>
  Effect.gen(function*() {
    const secret = Redacted.make(token)
    const authorization = 'MediaBrowser Client="My%20App", Version="1.0.0", Device="Laptop", DeviceId="dev-1", Token="' +
      encodeURIComponent(Redacted.value(secret)) + '"'
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest(HttpClientRequest.setHeader("Authorization", authorization)),
      HttpClient.filterStatusOk
    )
    const response = yield* client.get(server + "/Users/Me")
    return yield* response.json
  }).pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise)
`

const withJellyfinSdk = `
import { Jellyfin } from "@jellyfin/sdk"
import { getUserApi } from "@jellyfin/sdk/lib/utils/api/user-api"

export const getMe = async (server: string, token: string) => {
  const jellyfin = new Jellyfin({
    clientInfo: { name: "My App", version: "1.0.0" },
    deviceInfo: { name: "Laptop", id: "dev-1" }
  })
  return (await getUserApi(jellyfin.createApi(server, token)).getCurrentUser()).data
}
`

/**
 * @since 0.1.0
 * @category rows
 */
export const sizeRows = async (_budget: Budget): Promise<ReadonlyArray<Row>> => {
  const generated = await bundledKb(generatedModule)
  const ours = await bundledKb(withMbauth)
  const effectAlone = await bundledKb(withEffectAlone)
  const jellyfinSdk = await bundledKb(withJellyfinSdk)
  const added = ours - effectAlone
  return [
    row({
      id: "9a",
      what: "bundle size, gzipped: the generated header module vs its 10 kB budget",
      ours: "MediaBrowserAuthorization.js",
      peer: "budget",
      unit: "kB",
      direction: "cost",
      target: 1,
      paired: { ours: [generated], peer: [10] }
    }),
    row({
      id: "9b",
      what: "bundle size, gzipped: RequestSigning + FetchHttpClient client vs the same with Effect + @effect/platform alone",
      ours: "RequestSigning + FetchHttpClient",
      peer: "Effect + @effect/platform",
      unit: "kB",
      direction: "cost",
      // Rounded down, so the printed target is never looser than the budget.
      target: Math.floor(((effectAlone + 15) / effectAlone) * 1000) / 1000,
      paired: { ours: [ours], peer: [effectAlone] },
      note: `mbauth adds ${added.toFixed(1)} kB gzipped to the Effect-only client (budget +15 kB: the target is that sum's ratio)`
    }),
    row({
      id: "9c",
      what: "bundle size, gzipped (reference): the same client vs @jellyfin/sdk + axios",
      ours: "RequestSigning + FetchHttpClient",
      peer: "@jellyfin/sdk + axios",
      unit: "kB",
      direction: "cost",
      paired: { ours: [ours], peer: [jellyfinSdk] }
    })
  ]
}
