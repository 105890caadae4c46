// The go target, proven with the real `go` tool: for the real spec, the acme fixture and a spec
// whose profiles read separate values every way (specs/split.json) the generated package is
// gofmt-clean and passes `go vet`, and a Go program replays every vector of the spec's vectors
// file against it (./check). For the real spec: compat and strict parse agree with the
// TypeScript runtime on a shared seeded corpus made with ../utils/fuzz.ts, so do extract's
// warnings (messages included) and client values on every extract vector's request, Go's native
// fuzzing (FuzzCompat) finds no panic in a short bounded run, and the headers @jellyfin/sdk sends
// read the same in Go as in TypeScript.
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { isDeepStrictEqual } from "node:util"
import { authenticateUserByName, getCurrentUser, Jellyfin } from "../../../core/test/utils/jellyfinSdk.js"
import * as Auth from "../__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import {
  anyString,
  formattedThenEdited,
  LONE_SURROGATE,
  longHeader,
  nearMissHeader,
  quirky,
  strictishHeader
} from "../utils/fuzz.js"
import { makeModule, run, runOk, specs } from "./goTool.js"

const GO_TIMEOUT = 600_000

interface ParseInput {
  readonly input: string
  readonly mode: "compat" | "strict"
  readonly legacy: boolean
}

// The TypeScript runtime's reading, in the vectors' shape.
const typescriptReading = ({ input, legacy, mode }: ParseInput) => {
  const r = Auth.parse(input, { mode, legacy })
  return r._tag === "Ok"
    ? { ok: { scheme: r.value.scheme, dictionary: [...r.value.dictionary], params: r.value.params } }
    : { error: { code: r.error.code, offset: r.error.offset } }
}

const readings = (inputs: ReadonlyArray<string>): ReadonlyArray<ParseInput> =>
  inputs.flatMap((input) =>
    (["compat", "strict"] as const).flatMap((mode) => [true, false].map((legacy) => ({ input, mode, legacy })))
  )

// split: a test spec whose three profiles read separate values with each precedence, in both
// orders, and not at all (the real spec's emby reads them one way only).
const least = { mediabrowser: 200, acme: 130, split: 100 } as const

for (const name of ["mediabrowser", "acme", "split"] as const) {
  describe(`go target: ${name}`, () => {
    let dir = ""
    beforeAll(async () => {
      dir = await makeModule(specs[name])
      await runOk("go", ["build", "-o", "check", "."], dir, GO_TIMEOUT)
    }, GO_TIMEOUT)
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it("the generated package is gofmt-clean and passes go vet", async () => {
      expect(await runOk("gofmt", ["-l", "auth"], dir)).toBe("")
      const vet = await run("go", ["vet", "./..."], dir, GO_TIMEOUT)
      expect(vet.stderr + vet.stdout).toBe("")
      expect(vet.code).toBe(0)
    }, GO_TIMEOUT)

    it("agrees with every vector", async () => {
      const vectors = JSON.parse(readFileSync(join(dir, "vectors.json"), "utf8")) as Record<string, ReadonlyArray<unknown>>
      const report = JSON.parse(await runOk(join(dir, "check"), ["vectors", "vectors.json"], dir)) as Record<string, unknown>
      expect(report.mismatches).toEqual([])
      const counts = { parse: vectors.parse!.length, format: vectors.format!.length, validate: vectors.validate!.length, extract: vectors.extract!.length }
      expect(report).toEqual({ ...counts, mismatches: [] })
      expect(counts.parse + counts.format + counts.validate + counts.extract).toBeGreaterThan(least[name])
    }, GO_TIMEOUT)
  })
}

describe("go target: the real spec against the TypeScript runtime", () => {
  let dir = ""
  beforeAll(async () => {
    dir = await makeModule(specs.mediabrowser)
    await runOk("go", ["build", "-o", "check", "."], dir, GO_TIMEOUT)
  }, GO_TIMEOUT)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const goReadings = async (inputs: ReadonlyArray<ParseInput>): Promise<ReadonlyArray<unknown>> => {
    writeFileSync(join(dir, "inputs.json"), JSON.stringify(inputs))
    return JSON.parse(await runOk(join(dir, "check"), ["parse", "inputs.json"], dir)) as ReadonlyArray<unknown>
  }

  // A lone surrogate has no Go string (Go strings are UTF-8): the corpus holds U+FFFD instead.
  const loneSurrogates = new RegExp(LONE_SURROGATE.source, "g")
  const corpus = fc.sample(
    fc.oneof(
      { arbitrary: nearMissHeader, weight: 4 },
      { arbitrary: strictishHeader, weight: 3 },
      { arbitrary: formattedThenEdited(Auth.format), weight: 3 },
      { arbitrary: anyString, weight: 2 },
      { arbitrary: quirky.map((q) => "MediaBrowser " + q), weight: 2 },
      { arbitrary: longHeader, weight: 1 }
    ),
    { seed: 18, numRuns: 600 }
  ).map((s) => s.replace(loneSurrogates, "\ufffd"))

  // Offsets after characters of two, three and four UTF-8 bytes (one or two UTF-16 units), and
  // invalid UTF-8 escapes: where a byte offset and a UTF-16 offset part.
  const offsets = [
    "MediaBrowser Client=\"é\", Dévice=\"b\"",
    "MediaBrowser Client=\"📺\", Token=\"a\" ,",
    "MediaBrowser Device=\"a📺b\", Token=abc",
    "MediaBrowser Device=\"✓\", Token=\"%E2%82\"",
    "📺 Token=\"a\"",
    "MediaBrowser\u00a0📺 Token=\"a\"",
    "MediaBrowser Token=\"a\", 📺=\"%F0%9F\", Client=\"%F0%9F%93%BA\", Client=\"x\""
  ]

  it("compat and strict parse read the shared seed corpus as the TypeScript runtime does", async () => {
    const inputs = readings([...corpus, ...offsets])
    expect(inputs.length).toBe((600 + offsets.length) * 4)
    const go = await goReadings(inputs)
    const mismatches = inputs.flatMap((input, i) => {
      const expected = typescriptReading(input)
      return isDeepStrictEqual(go[i], normalise(expected)) ? [] : [{ input, expected, go: go[i] }]
    })
    expect(mismatches.slice(0, 3)).toEqual([])
  }, GO_TIMEOUT)

  it("FuzzCompat: the corpus as seeds, then a bounded run of Go's native fuzzing, finds no panic", async () => {
    writeFileSync(join(dir, "seeds.json"), JSON.stringify(corpus))
    const env = ["MBAUTH_GO_SEEDS=" + join(dir, "seeds.json")]
    const seeds = await run("env", [...env, "go", "test", "-run", "^FuzzCompat$", "-count=1", "."], dir, GO_TIMEOUT)
    expect(seeds.stdout + seeds.stderr).toMatch(/^ok\s/m)
    // The fuzzing run starts from the built-in seeds (and what earlier runs found interesting),
    // and is bounded by a number of new inputs, a few seconds on this machine.
    const started = Date.now()
    const fuzz = await run("go", ["test", "-run", "^$", "-fuzz", "^FuzzCompat$", "-fuzztime", "10000x", "-parallel", "1", "."], dir, GO_TIMEOUT)
    expect(fuzz.code, fuzz.stdout + fuzz.stderr).toBe(0)
    const execs = [...(fuzz.stdout + fuzz.stderr).matchAll(/execs: (\d+)/g)].map((m) => Number(m[1]))
    expect(Math.max(0, ...execs)).toBeGreaterThanOrEqual(10_000)
    console.log(`go FuzzCompat: ${corpus.length} shared seeds passed; ${Math.max(...execs)} fuzzed inputs in ${((Date.now() - started) / 1000).toFixed(1)} s, no panic`)
  }, GO_TIMEOUT)

  it("extract gives the TypeScript runtime's warnings, messages included, and client values, on every vector's request and a few more", async () => {
    const vectors = JSON.parse(readFileSync(join(dir, "vectors.json"), "utf8")) as {
      readonly extract: ReadonlyArray<{ readonly request: Auth.RequestLike; readonly options: Auth.ExtractOptions }>
    }
    // Repeated, percent-encoded (+ as a space) and empty separate values beside a scheme header.
    const more = Auth.PROFILES.map((profile) => ({
      request: {
        headers: {
          "x-emby-authorization": "MediaBrowser Client=\"\", Device=\"TV\", Version=\"1\", Token=\"t\"",
          "X-EMBY-DEVICE-NAME": ["Salon%20TV", "a+b"],
          "X-Emby-Client-Version": ""
        },
        query: { "x-emby-client": "Web", "X-Emby-Device-Id": ["d1", "d2"], "X-Emby-Client-Version": "2" }
      },
      options: { profile: profile.name }
    }))
    const cases = [...vectors.extract.map(({ options, request }) => ({ options, request })), ...more]
    writeFileSync(join(dir, "extract.json"), JSON.stringify(cases))
    const go = JSON.parse(await runOk(join(dir, "check"), ["extract", "extract.json"], dir)) as ReadonlyArray<{
      readonly warnings: unknown
      readonly parameters: unknown
      readonly parameterValues: unknown
    }>
    const mismatches = cases.flatMap(({ options, request }, i) => {
      const x = Auth.extract(request, options)
      const expected = normalise({
        warnings: x.warnings.map((w) => ({ code: w.code, ...(w.transport === undefined ? {} : { transport: w.transport }), message: w.message })),
        parameters: x.parameters,
        parameterValues: x.parameterValues
      })
      const actual = { warnings: go[i]!.warnings, parameters: go[i]!.parameters, parameterValues: go[i]!.parameterValues }
      return isDeepStrictEqual(actual, expected) ? [] : [{ options, request, expected, go: actual }]
    })
    expect(mismatches.slice(0, 3)).toEqual([])
    expect(cases.length).toBeGreaterThan(100)
  }, GO_TIMEOUT)

  it("reads the Authorization headers @jellyfin/sdk sends, for sign-in and a signed-in call, as TypeScript does", async () => {
    const seen: Array<IncomingHttpHeaders> = []
    const server = createServer((request, response) => {
      seen.push(request.headers)
      response.setHeader("content-type", "application/json")
      response.end(
        request.url === "/Users/AuthenticateByName"
          ? JSON.stringify({ AccessToken: "5f0c4a3e9d2b4e7f8a1c6b0d3e2f1a9b", User: { Id: "u", Name: "alice" } })
          : JSON.stringify({ Id: "u", Name: "alice" })
      )
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const device = { name: "Salon \"TV\", 📺 ✓", id: "device-1" }
      const client = { name: "Go interop, \"test\"", version: "10.11.0" }
      const api = new Jellyfin({ clientInfo: client, deviceInfo: device }).createApi(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      )
      const signIn = await authenticateUserByName(api, "alice", "wonderland")
      api.update({ accessToken: signIn.data.AccessToken! })
      await getCurrentUser(api)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    const headers = seen.map((h) => h.authorization)
    expect(headers).toHaveLength(2)
    const inputs = readings(headers.map((h) => h!))
    expect(await goReadings(inputs)).toEqual(inputs.map((i) => normalise(typescriptReading(i))))
    // And what the Go module read is what the SDK was configured with.
    const [signInReading, callReading] = await goReadings(headers.map((input) => ({ input: input!, mode: "strict", legacy: false })))
    expect((signInReading as { ok: { params: unknown } }).ok.params).toEqual({
      Client: "Go interop, \"test\"",
      Device: "Salon \"TV\", 📺 ✓",
      DeviceId: "device-1",
      Version: "10.11.0",
      Token: ""
    })
    expect((callReading as { ok: { params: { Token: string } } }).ok.params.Token).toBe("5f0c4a3e9d2b4e7f8a1c6b0d3e2f1a9b")
  }, GO_TIMEOUT)
})

// A result as it comes back through JSON (the Go program's output).
const normalise = (value: unknown): unknown => JSON.parse(JSON.stringify(value))
