import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { row, smoke, stats } from "../src/Harness.js"
import { table, text } from "../src/Report.js"
import { groups, run } from "../src/Suite.js"

describe("Harness", () => {
  it("stats: median and quartiles interpolate between samples", () => {
    const s = stats([5, 1, 4, 2, 3])
    assert.deepStrictEqual(s, { median: 3, p25: 2, p75: 4, min: 1, max: 5, n: 5 })
    assert.strictEqual(stats([1, 2, 3, 4]).median, 2.5)
  })

  it("row: a faster row takes peer ÷ ours per sample and passes at or above its target", () => {
    const r = row({
      id: "x",
      what: "x",
      ours: "ours",
      peer: "peer",
      unit: "ns",
      direction: "faster",
      target: 5,
      paired: { ours: [10, 20, 10], peer: [50, 100, 40] }
    })
    assert.deepStrictEqual([r.ratio.min, r.ratio.median, r.ratio.max], [4, 5, 5])
    assert.isTrue(r.pass)
  })

  it("row: a cost row takes ours ÷ peer per sample and fails above its target", () => {
    const r = row({
      id: "x",
      what: "x",
      ours: "ours",
      peer: "peer",
      unit: "ms",
      direction: "cost",
      target: 1.5,
      // The ratio is paired per sample: the median of the ratios, not the ratio of the medians.
      paired: { ours: [2, 30, 4], peer: [1, 10, 2] }
    })
    assert.strictEqual(r.ratio.median, 2)
    assert.isFalse(r.pass)
  })

  it("row: a reference row has no target, neither passes nor fails, and does not fail the run", () => {
    const r = row({
      id: "x",
      what: "x",
      ours: "reference",
      peer: "peer",
      unit: "ns",
      direction: "faster",
      paired: { ours: [1], peer: [3] }
    })
    assert.strictEqual(r.ratio.median, 3)
    assert.isUndefined(r.target)
    assert.isUndefined(r.pass)
    assert.match(table([r]), /\| reference \| – +\|/)
  })
})

describe("Suite", () => {
  // One tiny pass of every row: proves the suite runs and that each row yields numbers. Timing is
  // not asserted (that is what `npm run bench` is for). On a fresh clone row 14 first compiles its
  // Kotlin program with Maven (about 90 s on a loaded 2-core machine), hence the long timeout.
  it.live("runs every benchmark once and every row produces numbers", () =>
    Effect.gen(function*() {
      const report = yield* Effect.promise(() => run({ budget: smoke }))
      const groupsSeen = new Set(report.rows.map((r) => r.id.replace(/[a-z]+$/, "")))
      assert.deepStrictEqual([...groupsSeen].sort(), groups.map((g) => g.id).sort())
      for (const r of report.rows) {
        for (const s of [r.ours.stats, r.peer.stats, r.ratio]) {
          assert.isTrue(Number.isFinite(s.median) && s.median > 0, `${r.id}: ${JSON.stringify(s)}`)
          assert.isTrue(s.n >= 1)
        }
        if (r.target === undefined) assert.isUndefined(r.pass, `${r.id}: a reference row neither passes nor fails`)
        else {
          assert.isBoolean(r.pass)
          assert.isTrue(r.target > 0)
        }
      }
      // Every header row (1–5) has a target: the floor rows are gone.
      const references = report.rows.filter((r) => r.target === undefined).map((r) => r.id)
      assert.deepStrictEqual(references.filter((id) => /^[1-5][a-z]/.test(id)), [])
      // The reference rows: row 9's peer library (9c), and row 10a's input against a script printing
      // the same lines (10d).
      assert.deepStrictEqual(references, ["9c", "10d"])
      const batch = report.rows.filter((r) => r.id.startsWith("10"))
      assert.deepStrictEqual(batch.map((r) => [r.id, r.target]), [["10a", 1], ["10b", 1], ["10d", undefined], ["10c", 2]])
      // Row 9: bundle sizes in kB, one exact sample each.
      const sizeRows = report.rows.filter((r) => r.id.startsWith("9"))
      assert.deepStrictEqual(sizeRows.map((r) => [r.id, r.ours.unit, r.ours.stats.n]), [["9a", "kB", 1], ["9b", "kB", 1], ["9c", "kB", 1]])
      // Row 8: load + save of 20 servers against the durable baseline (8a), and the growth (8b).
      const storeRows = report.rows.filter((r) => r.id.startsWith("8"))
      assert.deepStrictEqual(storeRows.map((r) => [r.id, r.direction, r.target]), [["8a", "cost", 3], ["8b", "cost", 2]])
      assert.include(storeRows[0]!.what, "20 servers")
      assert.include(storeRows[0]!.peer.label, "fsync, rename")
      // Row 11: requests/s with the middleware ÷ without, at least 0.9.
      const middleware = report.rows.filter((r) => r.id === "11")
      assert.deepStrictEqual(middleware.map((r) => [r.direction, r.target]), [["faster", 0.9]])
      // Row 14: the generated Kotlin parse against the Regex + URLDecoder one-liner, in the JVM.
      const kotlin = report.rows.filter((r) => r.id === "14")
      assert.deepStrictEqual(kotlin.map((r) => [r.direction, r.target, r.ours.unit]), [["faster", 1, "ns"]])
      const json = JSON.parse(JSON.stringify(report)) as typeof report
      assert.strictEqual(json.rows.length, report.rows.length)
      assert.isTrue(json.machine.nproc > 0 && json.machine.node === process.version)
      const rendered = text(report)
      for (const r of report.rows) assert.include(table([r]), `| ${r.id} `)
      assert.include(rendered, `${report.rows.length - references.length} rows with a target`)
      assert.include(rendered, `${references.length} reference rows`)
    }), 360_000)
})
