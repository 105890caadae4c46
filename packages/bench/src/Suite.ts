/**
 * The benchmark suite: every row group, run in order under one budget.
 *
 * @since 0.1.0
 */
import { spawnSync } from "node:child_process"
import * as os from "node:os"
import * as BatchRows from "./BatchRows.js"
import * as GoRows from "./GoRows.js"
import type { Budget, Row } from "./Harness.js"
import * as HeaderRows from "./HeaderRows.js"
import * as KotlinRows from "./KotlinRows.js"
import * as MiddlewareRows from "./MiddlewareRows.js"
import * as ProcessRows from "./ProcessRows.js"
import * as PythonRows from "./PythonRows.js"
import * as RaceRows from "./RaceRows.js"
import { machine, type Report } from "./Report.js"
import * as SizeRows from "./SizeRows.js"
import * as StoreRows from "./StoreRows.js"

/**
 * A group of rows (one numbered item of the issue).
 *
 * @since 0.1.0
 * @category models
 */
export interface Group {
  readonly id: string
  readonly name: string
  readonly run: (budget: Budget) => ReadonlyArray<Row> | Promise<ReadonlyArray<Row>>
}

/**
 * @since 0.1.0
 * @category groups
 */
export const groups: ReadonlyArray<Group> = [
  { id: "1", name: "parse", run: HeaderRows.parseRows },
  { id: "2", name: "format", run: HeaderRows.formatRows },
  { id: "3", name: "Schema codec", run: HeaderRows.schemaRows },
  { id: "4", name: "extract", run: HeaderRows.extractRows },
  { id: "5", name: "growth", run: HeaderRows.growthRows },
  { id: "6", name: "CLI cold start", run: ProcessRows.coldStartRows },
  { id: "7", name: "connection race", run: RaceRows.raceRows },
  { id: "8", name: "credential store", run: StoreRows.storeRows },
  { id: "9", name: "bundle size", run: SizeRows.sizeRows },
  { id: "10", name: "CLI batch", run: BatchRows.batchRows },
  { id: "11", name: "server middleware", run: MiddlewareRows.middlewareRows },
  { id: "12", name: "python parse", run: PythonRows.pythonParseRows },
  { id: "13", name: "go parse", run: GoRows.goRows },
  { id: "14", name: "kotlin parse", run: KotlinRows.kotlinRows }
]

/**
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  readonly budget: Budget
  /** Group ids to run; all when absent. */
  readonly only?: ReadonlySet<string> | undefined
  /** Progress lines (to stderr in the CLI). */
  readonly progress?: ((line: string) => void) | undefined
}

/**
 * Runs the chosen groups in this process and collects the report.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: RunOptions): Promise<Report> => {
  const loadBefore = os.loadavg()
  const rows: Array<Row> = []
  for (const group of selected(options.only)) {
    const started = Date.now()
    const result = await group.run(options.budget)
    rows.push(...result)
    options.progress?.(`bench: ${group.id} ${group.name}: ${result.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  return { date: new Date().toISOString(), budget: options.budget, machine: machine(loadBefore), rows }
}

/**
 * @since 0.1.0
 * @category running
 */
export const selected = (only: ReadonlySet<string> | undefined): ReadonlyArray<Group> =>
  groups.filter((g) => only === undefined || only.has(g.id))

/**
 * Runs each chosen group in a fresh process (`node <execArgv> <script> --only=<id> --child`), so
 * no group measures code whose type feedback another group shaped: V8 optimises a function for
 * the calls it has seen, and a parse first called in strict mode runs its compat mode measurably
 * slower afterwards. Each process prints its report as JSON on stdout.
 *
 * @since 0.1.0
 * @category running
 */
export const runIsolated = (
  options: RunOptions & { readonly script: string; readonly args: ReadonlyArray<string> }
): Report => {
  const loadBefore = os.loadavg()
  const rows: Array<Row> = []
  for (const group of selected(options.only)) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, options.script, ...options.args, `--only=${group.id}`, "--child"],
      { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }
    )
    if (child.status !== 0 && child.status !== 1) {
      throw new Error(`bench: group ${group.id} exited ${child.status ?? child.signal}`)
    }
    rows.push(...(JSON.parse(child.stdout) as Report).rows)
  }
  return { date: new Date().toISOString(), budget: options.budget, machine: machine(loadBefore), rows }
}
