// Cold-start benchmark for the bundled CLI, hyperfine style: warm-up runs, then N timed runs of
// each command, reporting min/median/mean in ms and the ratio of medians to bare `node -e 0`.
// Usage: node scripts/cold-start.mjs [runs=20] (from packages/cli, after `npm run build`).
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const runs = Number(process.argv[2] ?? 20)
const bin = fileURLToPath(new URL("../dist/bin.mjs", import.meta.url))
const cases = [
  ["node -e 0", ["-e", "0"]],
  ["mbauth --help", [bin, "--help"]],
  ["mbauth --version", [bin, "--version"]],
  ["mbauth header parse --help", [bin, "header", "parse", "--help"]]
]

const time = (args) => {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "ignore"] })
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
  return { min: sorted[0], median, mean: samples.reduce((a, b) => a + b, 0) / samples.length }
}

const results = []
for (const [name, args] of cases) {
  for (let i = 0; i < 3; i++) time(args)
  // Interleaving would be fairer on a busy machine, but per-case batches match hyperfine.
  results.push({ name, ...stats(Array.from({ length: runs }, () => time(args))) })
}
const base = results[0].median
for (const r of results) {
  console.log(
    `${r.name.padEnd(28)} min ${r.min.toFixed(1).padStart(6)}  median ${r.median.toFixed(1).padStart(6)}  mean ${r.mean.toFixed(1).padStart(6)}  ×${(r.median / base).toFixed(2)}`
  )
}
