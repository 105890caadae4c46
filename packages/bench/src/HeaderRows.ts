/**
 * Rows 1–5: the generated header module against `auth-header`, a regex baseline and
 * `@jellyfin/sdk`, its Schema codec and `extract` against its own parse, and parse-time growth.
 *
 * Every row first checks that both sides compute the same thing on the input, so a ratio never
 * compares a parser with one that silently gave up.
 *
 * @since 0.1.0
 */
import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"
import * as Credentials from "@mbauth/core/Credentials"
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import * as GeneratedSchema from "@mbauth/core/generated/MediaBrowserAuthorizationSchema"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type Budget, type Paired, pairSync, type Row, row, stats } from "./Harness.js"
import * as Inputs from "./Inputs.js"
import { authHeaderParse, regexParse, sdkAuthorizationHeader } from "./Peers.js"

const check = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(`bench: ${message}`)
}

const parseOk = (value: string, options?: Generated.ParseOptions): Generated.ParsedHeader => {
  const result = Generated.parse(value, options)
  if (result._tag === "Err") throw new Error(`bench: the generated parse rejected its input: ${result.error.code}`)
  return result.value
}

const sameParams = (a: object, b: object): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())

/**
 * Row 1: parse the typical header.
 *
 * @since 0.1.0
 * @category rows
 */
export const parseRows = (budget: Budget): ReadonlyArray<Row> => {
  const header = Inputs.typicalHeader
  const compat = { mode: "compat" } as const
  const strict = { mode: "strict" } as const
  const expected = parseOk(header, compat).params
  check(sameParams(regexParse(header)!.params, expected), "the regex baseline disagrees with the generated parse")
  // auth-header leaves values percent-encoded; it reads the same keys and raw values.
  check(authHeaderParse(header).params["Client"] === "Jellyfin%20Web", "auth-header did not read the typical header")
  check(Object.keys(authHeaderParse(header).params).length === 5, "auth-header did not read five parameters")
  const what = `parse the @jellyfin/sdk header (${header.length} B, 5 params, one %20)`
  // Compat first, before strict mode has ever run: V8 shapes the parser's code by the calls it
  // has seen, and a program normally uses one mode.
  const compatRows = [
    row({
      id: "1a",
      what: `${what}, compat`,
      ours: "parse compat",
      peer: "auth-header parse",
      unit: "ns",
      direction: "faster",
      target: 2,
      paired: pairSync(() => Generated.parse(header, compat), () => authHeaderParse(header), budget),
      note: "auth-header does not URL-decode; ours does"
    }),
    row({
      id: "1b",
      what: `${what}, compat`,
      ours: "parse compat",
      peer: "regex + decodeURIComponent",
      unit: "ns",
      direction: "faster",
      target: 2,
      paired: pairSync(() => Generated.parse(header, compat), () => regexParse(header), budget)
    })
  ]
  check(sameParams(parseOk(header, strict).params, expected), "strict and compat disagree on the typical header")
  return [
    ...compatRows,
    row({
      id: "1c",
      what: `${what}, strict`,
      ours: "parse strict",
      peer: "auth-header parse",
      unit: "ns",
      direction: "faster",
      target: 1.5,
      paired: pairSync(() => Generated.parse(header, strict), () => authHeaderParse(header), budget)
    }),
  ]
}

/**
 * Row 2: format the same parameters.
 *
 * @since 0.1.0
 * @category rows
 */
export const formatRows = (budget: Budget): ReadonlyArray<Row> => {
  const canonical = { style: "canonical" } as const
  const variants = [
    { id: "2a", what: "format the same params (Client needs %20)", params: Inputs.typicalParams, client: Inputs.client },
    { id: "2b", what: "format params that need no encoding", params: Inputs.plainParams, client: Inputs.plainClient }
  ]
  const rows = variants.map(({ client, id, params, what }) => {
    const sdk = () => sdkAuthorizationHeader(client, Inputs.device, Inputs.token)
    const ours = Generated.format(params, canonical)
    check(ours._tag === "Ok", "the generated format failed")
    if (ours._tag === "Ok") {
      check(sameParams(parseOk(ours.value).params, parseOk(sdk()).params), "format and the SDK encode different values")
    }
    return row({
      id,
      what,
      ours: "format canonical",
      peer: "@jellyfin/sdk getAuthorizationHeader",
      unit: "ns",
      direction: "faster",
      target: 2,
      paired: pairSync(() => Generated.format(params, canonical), sdk, budget)
    })
  })
  return [...rows, freshFormatRow(budget)]
}

/**
 * Row 2c: every call formats values it has never seen (2a and 2b format the same values each
 * time, as a client signing its requests does), so nothing that remembers a value can help.
 *
 * @since 0.1.0
 * @category rows
 */
export const freshFormatRow = (budget: Budget): Row => {
  const count = 4096 // a power of two: the index wraps with a mask
  const fresh = Array.from({ length: count }, (_, i) => {
    const client = { name: `${Inputs.client.name} ${i}`, version: `${Inputs.client.version}.${i}` }
    const device = {
      name: `${Inputs.device.name} ${i}`,
      id: Buffer.from(`${Inputs.device.id}|${i}`).toString("base64").replace(/=/g, "1")
    }
    const token = `${i.toString(16).padStart(8, "0")}${Inputs.token.slice(8)}`
    const params = { Token: token, Client: client.name, Version: client.version, DeviceId: device.id, Device: device.name }
    return { client, device, token, params }
  })
  const sample = fresh[1]!
  const ours = Generated.format(sample.params, { style: "canonical" })
  check(ours._tag === "Ok", "the generated format failed")
  if (ours._tag === "Ok") {
    const sdk = sdkAuthorizationHeader(sample.client, sample.device, sample.token)
    check(sameParams(parseOk(ours.value).params, parseOk(sdk).params), "format and the SDK encode different values")
  }
  const canonical = { style: "canonical" } as const
  let a = 0
  let b = 0
  return row({
    id: "2c",
    what: "format values never formatted before (Client and Device need %20)",
    ours: "format canonical",
    peer: "@jellyfin/sdk getAuthorizationHeader",
    unit: "ns",
    direction: "faster",
    target: 2,
    paired: pairSync(
      () => Generated.format(fresh[a++ & (count - 1)]!.params, canonical),
      () => {
        const f = fresh[b++ & (count - 1)]!
        return sdkAuthorizationHeader(f.client, f.device, f.token)
      },
      budget
    )
  })
}

/**
 * Row 3: the Effect Schema codecs against the raw parse they wrap.
 *
 * @since 0.1.0
 * @category rows
 */
export const schemaRows = (budget: Budget): ReadonlyArray<Row> => {
  const header = Inputs.typicalHeader
  const compat = { mode: "compat" } as const
  const generated = Schema.decodeEither(GeneratedSchema.HeaderCompat)
  const core = Schema.decodeEither(AuthorizationHeader.FromString)
  const expected = parseOk(header, compat).params
  for (const decode of [generated, core]) {
    const decoded = Either.getOrThrow(decode(header))
    const plain = { ...decoded, ...(decoded.Token === undefined ? {} : { Token: Redacted.value(decoded.Token) }) }
    check(sameParams(plain, expected), "a Schema decode disagrees with the raw parse")
  }
  return [
    row({
      id: "3a",
      what: "Schema decode (generated HeaderCompat) vs raw parse",
      ours: "Schema.decodeEither(HeaderCompat)",
      peer: "parse compat",
      unit: "ns",
      direction: "cost",
      target: 3,
      paired: pairSync(() => generated(header), () => Generated.parse(header, compat), budget)
    }),
    row({
      id: "3b",
      what: "Schema decode (core AuthorizationHeader.FromString) vs raw parse",
      ours: "Schema.decodeEither(FromString)",
      peer: "parse compat",
      unit: "ns",
      direction: "cost",
      target: 3,
      paired: pairSync(() => core(header), () => Generated.parse(header, compat), budget)
    })
  ]
}

/**
 * Row 4: reading a whole request the server's way, against parsing its header alone.
 *
 * @since 0.1.0
 * @category rows
 */
export const extractRows = (budget: Budget): ReadonlyArray<Row> => {
  const header = Inputs.typicalHeader
  const request = Inputs.typicalRequest
  const compat = { mode: "compat" } as const
  const generatedOptions = { profile: "jellyfin-10.11" } as const
  const extraction = Generated.extract(request, generatedOptions)
  check(extraction.token?.value === Inputs.token, "extract did not find the token")
  check(extraction.authorization !== undefined, "extract did not read the authorization header")
  const inspection = Credentials.inspect(request, generatedOptions)
  check(inspection.hasToken, "Credentials.inspect did not find the token")
  const headers = Object.keys(request.headers).length
  return [
    row({
      id: "4a",
      what: `extract (jellyfin-10.11) on a request of ${headers} headers vs bare parse`,
      ours: "extract",
      peer: "parse compat",
      unit: "ns",
      direction: "cost",
      target: 2,
      paired: pairSync(() => Generated.extract(request, generatedOptions), () => Generated.parse(header, compat), budget)
    }),
    row({
      id: "4b",
      what: `core Credentials.inspect on the same request vs bare parse`,
      ours: "Credentials.inspect",
      peer: "parse compat",
      unit: "ns",
      direction: "cost",
      target: 2,
      paired: pairSync(() => Credentials.inspect(request, generatedOptions), () => Generated.parse(header, compat), budget)
    })
  ]
}

/**
 * Row 5: parse time per byte at 32 KiB against per byte at 1 KiB, for typical and adversarial
 * shapes. The whole curve (64 B … 32 KiB, each size against 1 KiB) goes in the row's details.
 *
 * @since 0.1.0
 * @category rows
 */
export const growthRows = (budget: Budget): ReadonlyArray<Row> => {
  const top = budget.growthMaxBytes
  // The curve is context, not the verdict: fewer, shorter samples per size.
  const curveBudget = {
    ...budget,
    samples: Math.min(budget.samples, 3),
    warmupMs: Math.min(budget.warmupMs, 20),
    batchMs: Math.min(budget.batchMs, 4)
  }
  const modes = [{ mode: "compat" }, { mode: "strict" }] as const
  const rows: Array<Row> = []
  for (const shape of Inputs.growthShapes) {
    for (const options of modes) {
      const large = shape.make(top)
      const small = shape.make(1024)
      // Strict mode stops at its first error, so only shapes it accepts say anything about it.
      if (options.mode === "strict" && Generated.parse(large, options)._tag === "Err") continue
      const parseOf = (value: string) => () => Generated.parse(value, options)
      const perByte = (paired: Paired, a: number, b: number): Paired => ({
        ours: paired.ours.map((t) => t / a),
        peer: paired.peer.map((t) => t / b)
      })
      // Shapes with a long fixed prefix give the same header for the smallest sizes: once each.
      const values = [...new Set(Inputs.growthSizes(top).map((size) => shape.make(size)))]
      const curve = values.map((value) => {
        const paired = perByte(pairSync(parseOf(value), parseOf(small), curveBudget), value.length, small.length)
        return {
          bytes: value.length,
          nsPerByte: stats(paired.ours).median,
          perByteRatioTo1KiB: stats(paired.ours.map((t, i) => t / paired.peer[i]!)).median
        }
      })
      rows.push(row({
        id: `5${String.fromCharCode(97 + rows.length)}`,
        what: `growth, ${shape.name}, ${options.mode}: time per byte at ${top / 1024} KiB vs 1 KiB`,
        ours: `${large.length} B`,
        peer: `${small.length} B`,
        unit: "ns/B",
        direction: "cost",
        target: 2,
        paired: perByte(pairSync(parseOf(large), parseOf(small), budget), large.length, small.length),
        details: { sizes: curve }
      }))
    }
  }
  return rows
}
