/**
 * Row 6: `mbauth --help` cold start as whole processes, against `node -e 0` on the same machine.
 *
 * @since 0.1.0
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type Budget, pairAsync, type Row, row } from "./Harness.js"

/**
 * The built CLI (`npm run build` makes it).
 *
 * @since 0.1.0
 * @category paths
 */
export const cliBin: string = fileURLToPath(new URL("../../cli/dist/bin.mjs", import.meta.url))

// Wall time of one whole process, spawn to exit; stdout goes to /dev/null like a redirect would.
const run = (args: ReadonlyArray<string>) => () => {
  const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] })
  if (result.status !== 0) {
    throw new Error(`bench: node ${args.join(" ")} exited ${result.status}: ${String(result.stderr).slice(0, 400)}`)
  }
}

/**
 * @since 0.1.0
 * @category rows
 */
export const coldStartRows = async (budget: Budget): Promise<ReadonlyArray<Row>> => {
  if (!existsSync(cliBin)) throw new Error(`bench: ${cliBin} is missing; run \`npm run build\` first`)
  const warmup = Math.min(3, budget.processRuns)
  return [
    row({
      id: "6",
      what: "CLI cold start, whole processes: mbauth --help vs node -e 0",
      ours: "node dist/bin.mjs --help",
      peer: "node -e 0",
      unit: "ms",
      direction: "cost",
      target: 1.5,
      paired: await pairAsync(run([cliBin, "--help"]), run(["-e", "0"]), budget.processRuns, warmup)
    })
  ]
}
