// Cold-start benchmark for the built CLI, hyperfine style: warm-up runs, then N runs of each
// command, interleaved so a busy machine slows every case alike. Reports wall time (min, median)
// and CPU time (user + system, mean), each also as a ratio to bare `node -e 0`; on a shared
// machine the CPU ratio is the steadier number.
// Usage (from packages/cli, after `npm run build`): node scripts/cold-start.mjs [runs=20]
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const runs = Number(process.argv[2] ?? 20)
const bin = fileURLToPath(new URL("../dist/bin.mjs", import.meta.url))
const cases = [
  ["node -e 0", ["-e", "0"]],
  ["mbauth --help", [bin, "--help"]],
  ["mbauth --no-color --help", [bin, "--no-color", "--help"]],
  ["mbauth --version", [bin, "--version"]],
  ["mbauth header parse --help", [bin, "header", "parse", "--help"]],
  ["mbauth header parse VALUE", [bin, "header", "parse", "MediaBrowser Client=\"x\""]]
]

// One run: wall time around the child, CPU time (user + system) from the shell's `times`, which
// reports its children's (10 ms resolution, hence the mean below).
const once = (args) => {
  const start = process.hrtime.bigint()
  const r = spawnSync("sh", ["-c", "\"$0\" \"$@\" >/dev/null 2>&1; echo \"exit $?\"; times", process.execPath, ...args], {
    encoding: "utf8"
  })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const [status, , children] = r.stdout.trim().split("\n")
  if (status !== "exit 0") throw new Error(`${args.join(" ")}: ${status}`)
  const seconds = (t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t)
    return m === null ? NaN : Number(m[1]) * 60 + Number(m[2])
  }
  const [user, system] = children.trim().split(/\s+/).map(seconds)
  return { wall, cpu: (user + system) * 1000 }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const samples = cases.map(() => ({ wall: [], cpu: [] }))
for (let i = 0; i < 3; i++) for (const [, args] of cases) once(args)
for (let i = 0; i < runs; i++) {
  for (let j = 0; j < cases.length; j++) {
    const r = once(cases[j][1])
    samples[j].wall.push(r.wall)
    samples[j].cpu.push(r.cpu)
  }
}
const baseWall = median(samples[0].wall)
const baseCpu = mean(samples[0].cpu)
console.log(`${runs} runs each, Node ${process.version}`)
for (let j = 0; j < cases.length; j++) {
  const wall = median(samples[j].wall)
  const cpu = mean(samples[j].cpu)
  console.log(
    `${cases[j][0].padEnd(28)} wall min ${Math.min(...samples[j].wall).toFixed(0).padStart(4)} ms  median ${wall.toFixed(0).padStart(4)} ms ×${(wall / baseWall).toFixed(2)}   cpu mean ${cpu.toFixed(0).padStart(4)} ms ×${(cpu / baseCpu).toFixed(2)}`
  )
}
