/**
 * The measuring loop, statistics and the row model.
 *
 * Why our own loop rather than tinybench, mitata or `vitest bench`: every figure here is a ratio
 * between two functions measured side by side on a shared, noisy machine, so what matters is
 * *pairing*: each sample times ours and the peer back to back, alternating which goes first, and
 * the ratio is taken per sample before the median. Those libraries run all samples of one task,
 * then all of the next; a burst of load from another process then lands on one side only and the
 * ratio of two medians taken minutes apart absorbs it. The loop is also the same for every kind
 * of row (a function call, an async round trip, a whole process), which keeps the statistics and
 * the report in one place. It is about 100 lines and has no dependency.
 *
 * @since 0.1.0
 */

/**
 * Median, quartiles and range of a set of samples.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly median: number
  readonly p25: number
  readonly p75: number
  readonly min: number
  readonly max: number
  readonly n: number
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number => {
  if (sorted.length === 0) return Number.NaN
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}

/**
 * @since 0.1.0
 * @category statistics
 */
export const stats = (samples: ReadonlyArray<number>): Stats => {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    n: sorted.length
  }
}

/**
 * How much work a run does. `full` is `npm run bench`; `smoke` is the test suite's single pass,
 * which proves every row runs and yields numbers (it asserts no timing).
 *
 * @since 0.1.0
 * @category models
 */
export interface Budget {
  readonly name: string
  /** Paired samples per in-process row. Odd, so the median is one real sample. */
  readonly samples: number
  /** Warm-up per row before sampling (both sides, alternating), in ms. */
  readonly warmupMs: number
  /** Target length of one timed batch of calls, in ms. */
  readonly batchMs: number
  /** Paired whole-process runs (row 6). */
  readonly processRuns: number
  /** Paired whole-process batch runs (row 9). */
  readonly batchRuns: number
  /** Input lines of a batch run (row 9). */
  readonly batchLines: number
  /** Paired connection races (row 7). */
  readonly raceRuns: number
  /** Paired credential store load + save cycles (row 8). */
  readonly storeRuns: number
  /** Servers in the large credential store of the growth row (8b). */
  readonly storeGrowthServers: number
  /** Paired samples of the server middleware row (9), and requests per side in each. */
  readonly middlewareRuns: number
  readonly middlewareRequests: number
  /** Largest header of the growth rows (row 5), in bytes. */
  readonly growthMaxBytes: number
}

/**
 * @since 0.1.0
 * @category budgets
 */
export const full: Budget = {
  name: "full",
  samples: 61,
  warmupMs: 250,
  batchMs: 15,
  processRuns: 31,
  batchRuns: 5,
  batchLines: 200_000,
  raceRuns: 31,
  storeRuns: 21,
  storeGrowthServers: 1000,
  middlewareRuns: 21,
  middlewareRequests: 1000,
  growthMaxBytes: 32 * 1024
}

/**
 * @since 0.1.0
 * @category budgets
 */
export const smoke: Budget = {
  name: "smoke",
  samples: 1,
  warmupMs: 0,
  batchMs: 0,
  processRuns: 1,
  batchRuns: 1,
  batchLines: 2_000,
  raceRuns: 1,
  storeRuns: 1,
  storeGrowthServers: 100,
  middlewareRuns: 1,
  middlewareRequests: 20,
  growthMaxBytes: 4 * 1024
}

/**
 * One side of a comparison: what it was, and its per-operation figures.
 *
 * @since 0.1.0
 * @category models
 */
export interface Side {
  readonly label: string
  readonly unit: "ns" | "µs" | "ms" | "ns/B" | "kB" | "MB"
  readonly stats: Stats
}

/**
 * `faster`: the ratio is peer ÷ ours and must be at least the target. `cost`: the ratio is ours ÷
 * peer (or ÷ baseline) and must be at most the target.
 *
 * @since 0.1.0
 * @category models
 */
export type Direction = "faster" | "cost"

/**
 * A row of the table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly id: string
  readonly what: string
  readonly ours: Side
  readonly peer: Side
  readonly direction: Direction
  /** The per-sample ratios, oriented as `direction` says. */
  readonly ratio: Stats
  /**
   * The target; undefined for a reference row, which measures a bound another row is read
   * against (such as the least work a parse must do) and has no target of its own.
   */
  readonly target: number | undefined
  /** Whether the ratio meets the target; undefined for a reference row. */
  readonly pass: boolean | undefined
  readonly note?: string
  readonly details?: unknown
}

/**
 * The timings of a paired comparison, in the unit the caller measured, one entry per sample.
 *
 * @since 0.1.0
 * @category models
 */
export interface Paired {
  readonly ours: ReadonlyArray<number>
  readonly peer: ReadonlyArray<number>
}

/**
 * Builds a row from paired timings: the ratio is taken per sample (ours and peer measured back to
 * back), then summarised, so load that hits one sample hits both sides of it.
 *
 * @since 0.1.0
 * @category rows
 */
export const row = (options: {
  readonly id: string
  readonly what: string
  readonly ours: string
  readonly peer: string
  readonly unit: Side["unit"]
  readonly direction: Direction
  /** Leave out for a reference row. */
  readonly target?: number
  readonly paired: Paired
  readonly note?: string | undefined
  readonly details?: unknown
}): Row => {
  const { ours, peer } = options.paired
  const ratios = ours.map((o, i) => options.direction === "faster" ? peer[i]! / o : o / peer[i]!)
  const ratio = stats(ratios)
  return {
    id: options.id,
    what: options.what,
    ours: { label: options.ours, unit: options.unit, stats: stats(ours) },
    peer: { label: options.peer, unit: options.unit, stats: stats(peer) },
    direction: options.direction,
    ratio,
    target: options.target,
    pass: options.target === undefined
      ? undefined
      : options.direction === "faster"
      ? ratio.median >= options.target
      : ratio.median <= options.target,
    ...(options.note === undefined ? {} : { note: options.note }),
    ...(options.details === undefined ? {} : { details: options.details })
  }
}

// ---------------------------------------------------------------------------------------------
// In-process functions
// ---------------------------------------------------------------------------------------------

type Loop = (fn: () => unknown, n: number) => unknown

// A fresh loop per benchmarked function: V8 keeps type feedback per function literal, so one
// shared loop would see every benchmark's callee at its call site, go megamorphic and charge
// both sides an indirect call that real callers do not pay. Results are kept in a small ring so
// the calls' work cannot be optimised away.
const makeLoop = (): Loop =>
  new Function(
    "fn",
    "n",
    "const keep = new Array(16); for (let i = 0; i < n; i++) keep[i & 15] = fn(); return keep"
  ) as Loop

const now = (): bigint => process.hrtime.bigint()

// Slices per in-process sample (see pairSync).
const slices = 8

const gc = (globalThis as { gc?: () => void }).gc

// In-process batches are timed in CPU time (user + system, in ns), not wall time. With other
// processes competing for the cores, a 15 ms batch is often descheduled part-way, and wall time
// would charge that wait to whichever side was running; CPU time counts only the work done. It
// covers every thread of the process, so garbage collection a side causes is charged to it.
const cpuNanos = (): number => {
  const { system, user } = process.cpuUsage()
  return (user + system) * 1000
}

const timeBatch = (loop: Loop, fn: () => unknown, n: number): number => {
  const start = cpuNanos()
  loop(fn, n)
  return cpuNanos() - start
}

/**
 * Times two synchronous functions against each other. Both get the same number of calls per
 * sample (calibrated on the slower one to last about `budget.batchMs`); after a warm-up, each
 * sample times both sides in `slices` interleaved slices (ours, peer, peer, ours, …) and adds each
 * side's slices up. Results are in ns of CPU time per call.
 *
 * Why slices: other processes' load on this kind of machine comes in bursts of a few
 * milliseconds, and it hits allocation-heavy code hardest (in the same minutes, a register-only
 * loop varied by 3% and the parse by 2×). Timed as one batch each, the faster side ran for a fifth
 * of the sample, so a burst could cover most of its batch and little of the peer's, and such a
 * sample's ratio fell by half. Interleaved, both sides run across the whole sample and meet the
 * same load. Row 1b (the regex baseline), same build, 61 samples: one batch each gave medians of
 * 4.5–5.4× over nine runs, with IQRs as wide as 2.7–6.7×; eight slices gave 5.5–6.4× over six
 * runs, with IQRs mostly within 4.4–6.9×.
 *
 * @since 0.1.0
 * @category measuring
 */
export const pairSync = (ours: () => unknown, peer: () => unknown, budget: Budget): Paired => {
  const loopOurs = makeLoop()
  const loopPeer = makeLoop()
  let n = 1
  const targetNs = budget.batchMs * 1e6
  while (n < 1 << 24) {
    const slowest = Math.max(timeBatch(loopOurs, ours, n), timeBatch(loopPeer, peer, n))
    if (slowest >= targetNs) break
    n = slowest * 4 < targetNs ? n * 4 : n * 2
  }
  const warmUntil = Date.now() + budget.warmupMs
  while (Date.now() < warmUntil) {
    timeBatch(loopOurs, ours, n)
    timeBatch(loopPeer, peer, n)
  }
  const perSlice = Math.max(1, Math.round(n / slices))
  const o: Array<number> = []
  const p: Array<number> = []
  for (let s = 0; s < budget.samples; s++) {
    gc?.()
    let oursNs = 0
    let peerNs = 0
    for (let k = 0; k < slices; k++) {
      if ((s + k) % 2 === 0) {
        oursNs += timeBatch(loopOurs, ours, perSlice)
        peerNs += timeBatch(loopPeer, peer, perSlice)
      } else {
        peerNs += timeBatch(loopPeer, peer, perSlice)
        oursNs += timeBatch(loopOurs, ours, perSlice)
      }
    }
    o.push(oursNs / (perSlice * slices))
    p.push(peerNs / (perSlice * slices))
  }
  return { ours: o, peer: p }
}

/**
 * Times two asynchronous operations (or whole processes) against each other in wall time, one
 * operation per side per sample, alternating which runs first. `warmup` pairs are run and
 * discarded first. Results are in ms per operation.
 *
 * @since 0.1.0
 * @category measuring
 */
export const pairAsync = (
  ours: () => Promise<unknown> | unknown,
  peer: () => Promise<unknown> | unknown,
  runs: number,
  warmup: number
): Promise<Paired> => pairMeasured(wallTime(ours), wallTime(peer), runs, warmup)

/**
 * `f` as an operation that returns its own wall time in ms (for {@link pairMeasured}).
 *
 * @since 0.1.0
 * @category measuring
 */
export const wallTime = (f: () => Promise<unknown> | unknown) => async (): Promise<number> => {
  const start = now()
  await f()
  return Number(now() - start) / 1e6
}

/**
 * The paired loop of {@link pairAsync}, for operations that time themselves (to leave their
 * set-up out): each returns its own duration in ms.
 *
 * @since 0.1.0
 * @category measuring
 */
export const pairMeasured = async (
  ours: () => Promise<number>,
  peer: () => Promise<number>,
  runs: number,
  warmup: number
): Promise<Paired> => {
  for (let i = 0; i < warmup; i++) {
    await ours()
    await peer()
  }
  const o: Array<number> = []
  const p: Array<number> = []
  for (let s = 0; s < runs; s++) {
    gc?.()
    if (s % 2 === 0) {
      o.push(await ours())
      p.push(await peer())
    } else {
      p.push(await peer())
      o.push(await ours())
    }
  }
  return { ours: o, peer: p }
}
