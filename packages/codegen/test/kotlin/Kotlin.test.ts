// The kotlin target, end to end: the generated modules of mediabrowser.json, acme.json, tiny.json
// and two fixtures (edge cases, separate values) are built with Maven (one `mvn test`, ./maven.ts) and checked by JUnit
// against every vector, a seed corpus made here with utils/fuzz.ts (the TypeScript results are the
// expected ones), the headers @jellyfin/sdk really sends, and a seeded Kotlin fuzzer; the README's
// Kotlin module and usage snippet are the generator's output and really run.
import { assert, describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "vitest"
import * as Acme from "../__goldens__/acme/AcmeAuth.js"
import * as MediaBrowser from "../__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import { anyString, formattedThenEdited, longHeader, nearMissHeader, parameterList, quirky, strictishHeader } from "../utils/fuzz.js"
import { generateKotlin, kotlinDaemons, layOut, type MavenRun, mvn, write, writeInput } from "./maven.js"

const here = (p: string) => new URL(p, import.meta.url).pathname
const specs = {
  mediabrowser: here("../../../core/spec/mediabrowser.json"),
  acme: here("../../examples/acme.json"),
  tiny: here("../../examples/tiny.json"),
  // No transports or profiles (empty enums), keyword names, comment and template characters.
  edge: here("./fixtures/edge.json"),
  // Separate values that win over the scheme header, query first, form-urlencoded header values.
  separate: here("./fixtures/separate.json")
}
const NAMES = ["MediaBrowserAuthorization", "AcmeAuth", "TinyAuth", "EdgeAuth", "SeparateAuth"]
// The specs with separate values.
const SEPARATE = new Set(["MediaBrowserAuthorization", "SeparateAuth"])

// The TypeScript side of a parse case, shaped as the vectors shape it.
type Module = typeof MediaBrowser
const parseResult = (module: Module, input: string, options: { mode: "strict" | "compat"; legacy: boolean }) => {
  const r = module.parse(input, options)
  return r._tag === "Ok"
    ? { ok: { scheme: r.value.scheme, dictionary: [...r.value.dictionary], params: r.value.params } }
    : { error: { code: r.error.code, offset: r.error.offset } }
}

const parseCases = (module: Module, inputs: ReadonlyArray<string>) => ({
  parse: inputs.flatMap((input) =>
    [true, false].flatMap((legacy) =>
      (["compat", "strict"] as const).map((mode) => ({ input, options: { mode, legacy }, result: parseResult(module, input, { mode, legacy }) }))
    )
  )
})

// The shared seed corpus: header values from utils/fuzz.ts's generators, sampled with a fixed seed.
const SEED = 20261207
const mediabrowserInputs = [
  ...fc.sample(
    fc.oneof(nearMissHeader, strictishHeader, formattedThenEdited(MediaBrowser.format), anyString, quirky.map((q) => "MediaBrowser " + q)),
    { seed: SEED, numRuns: 1500 }
  ),
  ...fc.sample(longHeader, { seed: SEED, numRuns: 4 })
]
const acmeInputs = fc.sample(
  fc.oneof(
    fc.tuple(fc.constantFrom("Acme ", "AcmeOld ", "acme ", "Acme  ", "Acme", "Basic "), parameterList()).map(([s, p]) => s + p),
    anyString,
    quirky.map((q) => "Acme " + q)
  ),
  { seed: SEED, numRuns: 1500 }
)

// What @jellyfin/sdk sends: its sign-in and a signed-in request, made through its own axios
// instance against a loopback server that records the request headers.
interface SdkApi {
  update(data: { readonly accessToken?: string }): void
}
const sdkHeaders = async (): Promise<ReadonlyArray<IncomingHttpHeaders>> => {
  const { Jellyfin } = (await import("@jellyfin/sdk")) as unknown as {
    Jellyfin: new(p: { clientInfo: { name: string; version: string }; deviceInfo: { name: string; id: string } }) => {
      createApi(basePath: string): SdkApi
    }
  }
  const { getAuthenticationApi } = (await import("@jellyfin/sdk/lib/utils/api/authentication-api.js")) as unknown as {
    getAuthenticationApi(api: SdkApi): { authenticateUserByName(p: { authenticateUserByName: { Username: string; Pw: string } }): Promise<unknown> }
  }
  const { getUserApi } = (await import("@jellyfin/sdk/lib/utils/api/user-api.js")) as unknown as {
    getUserApi(api: SdkApi): { getCurrentUser(): Promise<unknown> }
  }
  const seen: Array<IncomingHttpHeaders> = []
  const server = createServer((request, response) => {
    seen.push(request.headers)
    response.setHeader("content-type", "application/json")
    response.end(JSON.stringify({ AccessToken: "4f1c6b0c1e9d4a7f8b2c3d4e5f60718a", User: { Id: "u1", Name: "alice" }, Name: "alice" }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  try {
    const jellyfin = new Jellyfin({
      clientInfo: { name: "Jellyfin Android (β)", version: "2.6.3" },
      deviceInfo: { name: "Pixel \"Living, room\" 📺", id: "TW96aWxsYS81LjA=" }
    })
    const api = jellyfin.createApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    await getAuthenticationApi(api).authenticateUserByName({ authenticateUserByName: { Username: "alice", Pw: "wonderland" } })
    api.update({ accessToken: "4f1c6b0c1e9d4a7f8b2c3d4e5f60718a" })
    await getUserApi(api).getCurrentUser()
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
  return seen
}

const readme = readFileSync(here("../../README.md"), "utf8")
const kotlinSection = readme.slice(readme.indexOf("## Kotlin"))
const blocks = (lang: string) => [...kotlinSection.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!)

interface Report {
  readonly counts: Record<string, number>
  readonly mismatchCount: number
  readonly mismatches: ReadonlyArray<unknown>
}

let dir = ""
let build: MavenRun | undefined
let interop: ReadonlyArray<IncomingHttpHeaders> = []
let counts: Record<string, Record<string, number>> = {}
let daemonsLeft: ReadonlyArray<number> = []

const report = (name: string): Report => JSON.parse(readFileSync(join(dir, "target/mbauth", `${name}.json`), "utf8")) as Report

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mbauth-kotlin-"))
  assert.deepStrictEqual(await layOut(dir, Object.values(specs)), NAMES)
  writeInput(dir, "MediaBrowserAuthorization", "corpus", parseCases(MediaBrowser, mediabrowserInputs))
  writeInput(dir, "AcmeAuth", "corpus", parseCases(Acme as unknown as Module, acmeInputs))
  interop = await sdkHeaders()
  const headers = interop.map((h) => h.authorization ?? "")
  writeInput(dir, "MediaBrowserAuthorization", "interop", {
    ...parseCases(MediaBrowser, headers),
    extract: interop.flatMap((h) =>
      MediaBrowser.PROFILES.map((p) => {
        const request = { headers: { Authorization: h.authorization ?? "" } }
        const x = MediaBrowser.extract(request, { profile: p.name })
        return {
          description: "@jellyfin/sdk",
          request,
          options: { profile: p.name },
          result: {
            token: x.token ?? null,
            hasToken: x.hasToken,
            authorization: x.authorization === undefined
              ? null
              : { transport: x.authorization.transport, scheme: x.authorization.header.scheme, dictionary: [...x.authorization.header.dictionary] },
            candidates: x.candidates,
            warnings: x.warnings.map((w) => (w.transport === undefined ? { code: w.code } : { code: w.code, transport: w.transport })),
            parameters: x.parameters,
            parameterValues: x.parameterValues
          }
        }
      })
    )
  })
  write(join(dir, "src/test/kotlin/readme/Snippet.kt"), `package readme\n\n${blocks("kotlin")[1]}`)
  counts = Object.fromEntries(
    NAMES.map((name) => {
      const v = JSON.parse(readFileSync(join(dir, "inputs", `${name}.vectors.json`), "utf8")) as Record<string, ReadonlyArray<unknown>>
      // A report counts the kinds it saw: a spec without profiles has no extract vectors.
      const kinds = (["parse", "format", "validate", "extract"] as const).filter((k) => v[k]!.length > 0)
      return [name, Object.fromEntries(kinds.map((k) => [k, v[k]!.length]))]
    })
  )
  const daemonsBefore = kotlinDaemons()
  build = await mvn(dir, ["test"], 15 * 60_000)
  daemonsLeft = [...kotlinDaemons()].filter((pid) => !daemonsBefore.has(pid))
  console.log(`kotlin: mvn test ${build.offline ? "(offline) " : ""}took ${build.seconds.toFixed(1)} s`)
}, 16 * 60_000)

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
  // A daemon this run started would outlive it (the test below fails then): end it.
  for (const pid of daemonsLeft) process.kill(pid)
})

describe("kotlin target", () => {
  it("Maven builds the five modules and the checks, and every check passes", () => {
    assert.isDefined(build)
    assert.strictEqual(build!.code, 0, build!.output.slice(-6000))
  })

  it("no Kotlin compile daemon outlives the Maven run (the compiler runs in Maven's JVM)", () => {
    expect(daemonsLeft).toEqual([])
  })

  for (const name of NAMES) {
    it(`${name}: every vector agrees (parse, format, validate, extract)`, () => {
      const r = report(`${name}.vectors`)
      expect(r.counts).toEqual(counts[name])
      expect(r.mismatches).toEqual([])
      assert.strictEqual(r.mismatchCount, 0)
    })

    it(`${name}: the seeded Kotlin fuzzer finds nothing that throws or breaks an invariant`, () => {
      const r = report(`${name}.fuzz`)
      expect(r.mismatches).toEqual([])
      assert.strictEqual(r.counts.parse, 3000 * 4)
      assert.isTrue(r.counts.format! > 0 && r.counts.validate! > 0)
      // Requests carrying the spec's separate values, read or not.
      if (SEPARATE.has(name)) assert.isTrue(r.counts.separateValues! > 0)
      else assert.isUndefined(r.counts.separateValues)
    })
  }

  it("the shared seed corpus: compat and strict parse equal the TypeScript results", () => {
    for (const [name, inputs] of [["MediaBrowserAuthorization", mediabrowserInputs], ["AcmeAuth", acmeInputs]] as const) {
      const r = report(`${name}.corpus`)
      expect(r.mismatches, name).toEqual([])
      assert.strictEqual(r.counts.parse, inputs.length * 4, name)
    }
  })

  it("the Authorization headers @jellyfin/sdk sends read the same in Kotlin as in TypeScript", () => {
    // The sign-in carries the client info and an empty Token; the signed-in request carries the token.
    assert.strictEqual(interop.length, 2)
    const [signIn, signedIn] = interop.map((h) => MediaBrowser.parse(h.authorization ?? ""))
    assert(signIn?._tag === "Ok" && signedIn?._tag === "Ok")
    expect(signIn.value.params).toMatchObject({ Client: "Jellyfin Android (β)", Device: "Pixel \"Living, room\" 📺", DeviceId: "TW96aWxsYS81LjA=" })
    assert.strictEqual(signIn.value.params.Token, "")
    assert.strictEqual(signedIn.value.params.Token, "4f1c6b0c1e9d4a7f8b2c3d4e5f60718a")
    const r = report("MediaBrowserAuthorization.interop")
    expect(r.mismatches).toEqual([])
    expect(r.counts).toEqual({ parse: 8, extract: 2 * MediaBrowser.PROFILES.length })
  })

  it("the README shows the generated TinyAuth.kt as it is, and its snippet prints what the README says", async () => {
    const { files } = await generateKotlin(specs.tiny, ["kotlin"])
    expect(blocks("kotlin")[0]).toBe(files[0]!.content)
    expect(readFileSync(join(dir, "target/mbauth/readme.out.txt"), "utf8")).toBe(blocks("text")[0])
  })
})
