/**
 * The report: one table for people, the same rows as JSON for machines, and the machine they
 * were measured on.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import * as os from "node:os"
import type { Budget, Row, Side, Stats } from "./Harness.js"

/**
 * Where and how a run happened.
 *
 * @since 0.1.0
 * @category models
 */
export interface Machine {
  readonly nproc: number
  readonly cpu: string
  readonly node: string
  readonly platform: string
  /** 1, 5 and 15 minute load averages when the run started and when it ended. */
  readonly loadBefore: ReadonlyArray<number>
  readonly loadAfter: ReadonlyArray<number>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly date: string
  readonly budget: Budget
  readonly machine: Machine
  readonly rows: ReadonlyArray<Row>
}

const cpuModel = (): string => {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))
    if (match !== null) return match[1]!.trim()
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? "unknown"
}

/**
 * @since 0.1.0
 * @category machine
 */
export const machine = (loadBefore: ReadonlyArray<number>): Machine => ({
  nproc: os.availableParallelism(),
  cpu: cpuModel(),
  node: process.version,
  platform: `${process.platform} ${os.release()}`,
  loadBefore,
  loadAfter: os.loadavg()
})

const significant = (x: number): string =>
  !Number.isFinite(x) ? String(x) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3)

const spread = (s: Stats): string =>
  s.median === 0 || !Number.isFinite(s.median) ? "" : ` ±${((s.p75 - s.p25) / 2 / s.median * 100).toFixed(0)}%`

const side = (s: Side): string => `${significant(s.stats.median)} ${s.unit}${spread(s.stats)}`

/**
 * The ratio with its interquartile range, e.g. `6.12× (5.90–6.40)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const ratioText = (r: Row): string =>
  `${significant(r.ratio.median)}× (${significant(r.ratio.p25)}–${significant(r.ratio.p75)})`

/**
 * @since 0.1.0
 * @category rendering
 */
export const targetText = (r: Row): string =>
  r.target === undefined ? "reference" : r.direction === "faster" ? `≥ ${r.target}× faster` : `≤ ${r.target}× cost`

const resultText = (r: Row): string => r.pass === undefined ? "–" : r.pass ? "pass" : "FAIL"

const columns = ["#", "what", "ours", "peer / baseline", "ratio (IQR)", "target", "result"] as const

const cells = (r: Row): ReadonlyArray<string> => [
  r.id,
  r.what,
  `${r.ours.label}: ${side(r.ours)}`,
  `${r.peer.label}: ${side(r.peer)}`,
  ratioText(r),
  targetText(r),
  resultText(r)
]

/**
 * The rows as a Markdown table (it reads as plain text in a terminal too).
 *
 * @since 0.1.0
 * @category rendering
 */
export const table = (rows: ReadonlyArray<Row>): string => {
  const body = rows.map(cells)
  const widths = columns.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)))
  const line = (values: ReadonlyArray<string>) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`
  return [line(columns), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n")
}

/**
 * The whole report as text: the table, the notes and the machine.
 *
 * @since 0.1.0
 * @category rendering
 */
export const text = (report: Report): string => {
  const m = report.machine
  const notes = report.rows.filter((r) => r.note !== undefined).map((r) => `- ${r.id}: ${r.note}`)
  const failed = report.rows.filter((r) => r.pass === false).length
  const passed = report.rows.filter((r) => r.pass === true).length
  const references = report.rows.length - failed - passed
  return [
    table(report.rows),
    "",
    ...notes,
    `${passed + failed} rows with a target, ${passed} pass, ${failed} fail; ${references} reference rows ` +
    `(budget ${report.budget.name}, ` +
    `${report.budget.samples} paired samples per in-process row, medians; ± is half the interquartile range)`,
    `machine: ${m.nproc} × ${m.cpu}, node ${m.node}, ${m.platform}; load ${m.loadBefore.map((l) => l.toFixed(2)).join(" ")} ` +
    `before, ${m.loadAfter.map((l) => l.toFixed(2)).join(" ")} after`
  ].join("\n")
}
