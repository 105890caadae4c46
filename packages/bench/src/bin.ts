/**
 * `npm run bench` — runs the suite and prints the table. `--json` prints the same report as JSON
 * on stdout instead (the table then goes to stderr); `--json=FILE` writes it to FILE.
 *
 * Options: `--json[=FILE]`, `--only=1,2,6` (group ids), `--smoke` (one tiny pass, as the tests run
 * it), `--samples=N` (paired samples per in-process row), `--in-process` (all groups in this
 * process; by default each group runs in a fresh one). `--child` is the per-group process's mode:
 * its report as JSON on stdout, nothing else.
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { full, smoke } from "./Harness.js"
import { text } from "./Report.js"
import { fileURLToPath } from "node:url"
import { run, runIsolated } from "./Suite.js"

const out = (line: string) => process.stdout.write(line + "\n")
const err = (line: string) => process.stderr.write(line + "\n")

const args = process.argv.slice(2)
const value = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const known = /^--(json(=.+)?|smoke|only=[\d,]+|samples=\d+|in-process|child)$/
const unknown = args.filter((a) => !known.test(a))
if (unknown.length > 0) {
  err(`bench: unknown option ${unknown.join(" ")}\nusage: bench [--json[=FILE]] [--only=1,2,…] [--smoke] [--samples=N] [--in-process]`)
  process.exit(2)
}
const json = args.includes("--json")
const jsonFile = value("json")
const samples = value("samples")
const base = args.includes("--smoke") ? smoke : full
const budget = samples === undefined ? base : { ...base, samples: Number(samples) }
const only = value("only")
if ((globalThis as { gc?: unknown }).gc === undefined) {
  err("bench: run with node --expose-gc for steadier samples (npm run bench does)")
}

const child = args.includes("--child")
const options = {
  budget,
  only: only === undefined ? undefined : new Set(only.split(",")),
  progress: (line: string) => err(line)
}
const report = child || args.includes("--in-process")
  ? await run(options)
  : runIsolated({
    ...options,
    script: fileURLToPath(import.meta.url),
    args: args.filter((a) => a === "--smoke" || a.startsWith("--samples="))
  })
if (child) out(JSON.stringify(report))
else {
  if (jsonFile !== undefined) writeFileSync(jsonFile, JSON.stringify(report, null, 2) + "\n")
  if (json) {
    err(text(report))
    out(JSON.stringify(report, null, 2))
  } else out(text(report))
}
process.exitCode = report.rows.some((r) => r.pass === false) ? 1 : 0
