/**
 * Row 10: the CLI's batch mode as whole processes over 200,000 typical header lines, against a
 * plain node script doing less (10a, 10b), and its memory into a slow reader against /dev/null (10c).
 * 10d is a reference row: 10a against a script that prints the same JSON line mbauth does.
 *
 * The peer is the script a user would write instead: read stdin line by line, `JSON.parse` the
 * line, split the header with a regex, `decodeURIComponent` each value, `JSON.stringify` a result
 * and write it. It checks nothing, masks nothing and prints a third of what mbauth prints.
 *
 * @since 0.1.0
 */
import { spawn } from "node:child_process"
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Readable } from "node:stream"
import { type Budget, pairMeasured, type Row, row } from "./Harness.js"
import { typicalHeader } from "./Inputs.js"
import { cliBin } from "./ProcessRows.js"

// The peer: the 10-line script (`header` picks the header value out of a parsed line).
const peerScript = (header: string) => `
import { createInterface } from "node:readline"
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const value = JSON.parse(line)
  const header = ${header}
  const params = {}
  for (const m of header.matchAll(/(\\w+)="([^"]*)"/g)) params[m[1]] = decodeURIComponent(m[2])
  process.stdout.write(JSON.stringify({ ok: true, params }) + "\\n")
}`

// Loaded into a measured process: its peak resident memory, in kB, goes to file descriptor 3.
const reportPeakRss = `data:text/javascript,${
  encodeURIComponent(
    `import { writeSync } from "node:fs"; process.on("exit", () => writeSync(3, String(process.resourceUsage().maxRSS)))`
  )
}`

// A script doing what `header parse --json` does for a well-formed line: the same JSON line (params
// and dictionary, the token described by its length, never printed), the characters JSON leaves
// raw but a terminal does not (C1 controls, line separators, bidi controls) escaped, one write per
// 256 lines. It still checks nothing: no grammar, no errors, no offsets.
const sameLineScript = `
import { createInterface } from "node:readline"
const unsafe = /[\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]/g
const escape = (c) => "\\\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")
let n = 0
let out = []
const flush = () => process.stdout.write(out.join("\\n").replace(unsafe, escape) + "\\n")
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const header = JSON.parse(line)
  const params = {}
  const dictionary = []
  for (const m of header.matchAll(/(\\w+)="([^"]*)"/g)) {
    const value = decodeURIComponent(m[2])
    const shown = m[1] === "Token" ? { redacted: true, length: value.length } : value
    params[m[1]] = shown
    dictionary.push([m[1], shown])
  }
  const scheme = header.slice(0, header.indexOf(" "))
  out.push(JSON.stringify({ line: ++n, ok: true, results: { compat: { ok: true, scheme, params, dictionary } } }))
  if (out.length === 256) (flush(), out = [])
}
if (out.length > 0) flush()`

interface Measured {
  readonly ms: number
  readonly peakKb: number
}

/** How the measured process's stdout is read. */
type Reader = "devnull" | "slow"

// A reader slower than mbauth writes: one read of what the pipe holds every 2 ms.
const readSlowly = (stream: Readable) => {
  stream.pause()
  const timer = setInterval(() => stream.read(), 2)
  stream.on("end", () => clearInterval(timer)).on("close", () => clearInterval(timer))
}

const runProcess = (args: ReadonlyArray<string>, input: string, reader: Reader): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const stdin = openSync(input, "r")
    const devnull = reader === "devnull" ? openSync("/dev/null", "w") : undefined
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, ["--import", reportPeakRss, ...args], {
      stdio: [stdin, devnull ?? "pipe", "pipe", "pipe"]
    })
    closeSync(stdin)
    if (devnull !== undefined) closeSync(devnull)
    let stderr = ""
    let peak = ""
    child.stderr!.on("data", (chunk) => (stderr += String(chunk)))
    child.stdio[3]!.on("data", (chunk) => (peak += String(chunk)))
    if (child.stdout !== null) readSlowly(child.stdout)
    child.on("error", reject)
    child.on("close", (status) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (status !== 0) reject(new Error(`bench: node ${args.join(" ")} exited ${status}: ${stderr.slice(0, 400)}`))
      else resolve({ ms, peakKb: Number(peak) })
    })
  })

const writeLines = (file: string, line: string, count: number) => writeFileSync(file, `${line}\n`.repeat(count))

/**
 * @since 0.1.0
 * @category rows
 */
export const batchRows = async (budget: Budget): Promise<ReadonlyArray<Row>> => {
  if (!existsSync(cliBin)) throw new Error(`bench: ${cliBin} is missing; run \`npm run build\` first`)
  const dir = mkdtempSync(path.join(os.tmpdir(), "mbauth-bench-batch-"))
  try {
    const lines = budget.batchLines
    const headers = path.join(dir, "headers.jsonl")
    const requests = path.join(dir, "requests.jsonl")
    writeLines(headers, JSON.stringify(typicalHeader), lines)
    writeLines(requests, JSON.stringify({ headers: { Authorization: typicalHeader } }), lines)
    const parse = [cliBin, "header", "parse", "--stdin", "--input", "jsonl", "--mode", "compat", "--json"]
    // One profile, the one the typical header is for: every profile prints seven explanations a line.
    const explain = [cliBin, "request", "explain", "--stdin", "--input", "jsonl", "--profile", "jellyfin-10.11", "--json"]
    const peer = (header: string) => ["--input-type=module", "-e", peerScript(header)]
    const runs = budget.batchRuns
    const warmup = Math.min(1, runs)

    const throughput = async (
      id: string,
      what: string,
      ours: ReadonlyArray<string>,
      theirs: ReadonlyArray<string>,
      input: string,
      target?: number // absent: a reference row
    ) => {
      const paired = await pairMeasured(
        async () => (await runProcess(ours, input, "devnull")).ms,
        async () => (await runProcess(theirs, input, "devnull")).ms,
        runs,
        warmup
      )
      const perSecond = (ms: ReadonlyArray<number>) => Math.round(lines / ([...ms].sort((a, b) => a - b)[ms.length >> 1]! / 1000))
      return row({
        id,
        what,
        ours: `mbauth (${perSecond(paired.ours)} lines/s)`,
        peer: `node script (${perSecond(paired.peer)} lines/s)`,
        unit: "ms",
        direction: "faster",
        ...(target === undefined ? {} : { target }),
        paired
      })
    }

    const parseRow = await throughput(
      "10a",
      `header parse --stdin --input jsonl --mode compat --json, ${lines} typical lines, to /dev/null`,
      parse,
      peer("value"),
      headers,
      1
    )
    const explainRow = await throughput(
      "10b",
      `request explain --stdin --input jsonl --profile jellyfin-10.11 --json, ${lines} typical requests, to /dev/null`,
      explain,
      peer("value.headers.Authorization"),
      requests,
      1
    )
    const sameLineRow = await throughput(
      "10d",
      `reference: 10a against a node script printing the same JSON lines (token masked, terminal-unsafe characters escaped)`,
      parse,
      ["--input-type=module", "-e", sameLineScript],
      headers
    )
    const memory = await pairMeasured(
      async () => (await runProcess(parse, headers, "slow")).peakKb / 1024,
      async () => (await runProcess(parse, headers, "devnull")).peakKb / 1024,
      runs,
      0
    )
    const memoryRow = row({
      id: "10c",
      what: `peak memory of 10a's run into a reader slower than mbauth writes, against into /dev/null`,
      ours: "into a slow pipe",
      peer: "into /dev/null",
      unit: "MB",
      direction: "cost",
      target: 2,
      paired: memory
    })
    return [parseRow, explainRow, sameLineRow, memoryRow]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
