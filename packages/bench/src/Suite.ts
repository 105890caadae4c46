/**
 * The benchmark suite: every row group, run in order under one budget.
 *
 * @since 0.1.0
 */
import * as os from "node:os"
import type { Budget, Row } from "./Harness.js"
import * as HeaderRows from "./HeaderRows.js"
import * as ProcessRows from "./ProcessRows.js"
import * as RaceRows from "./RaceRows.js"
import { machine, type Report } from "./Report.js"
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
  { id: "8", name: "credential store", run: StoreRows.storeRows }
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
 * Runs the chosen groups and collects the report.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: RunOptions): Promise<Report> => {
  const loadBefore = os.loadavg()
  const rows: Array<Row> = []
  for (const group of groups) {
    if (options.only !== undefined && !options.only.has(group.id)) continue
    const started = Date.now()
    const result = await group.run(options.budget)
    rows.push(...result)
    options.progress?.(`bench: ${group.id} ${group.name}: ${result.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  return { date: new Date().toISOString(), budget: options.budget, machine: machine(loadBefore), rows }
}
