/**
 * The racing and sequential strategies on virtual time: fake probes that answer, fail or hang
 * after given delays, so what starts when and who wins is exact.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import type { Candidate } from "../src/internal/connectionManager/addresses.js"
import * as Race from "../src/internal/connectionManager/race.js"

type Behaviour =
  | { readonly _tag: "Answer"; readonly after: number }
  | { readonly _tag: "Fail"; readonly after: number }
  | { readonly _tag: "Hang"; readonly timeout: number }

const candidate = (address: string, mode: Candidate["mode"] = "Local"): Candidate => ({ address, mode })

/** A probe per behaviour, logging start, end and interruption on the test clock. */
const scenario = (behaviours: Record<string, Behaviour>) => {
  const log: Array<string> = []
  const now = Effect.map(TestClock.currentTimeMillis, (t) => t)
  const probe = (c: Candidate) =>
    Effect.gen(function*() {
      log.push(`${yield* now} start ${c.address}`)
      const b = behaviours[c.address]!
      switch (b._tag) {
        case "Answer":
          yield* Effect.sleep(Duration.millis(b.after))
          log.push(`${yield* now} answer ${c.address}`)
          return c.address
        case "Fail":
          yield* Effect.sleep(Duration.millis(b.after))
          log.push(`${yield* now} fail ${c.address}`)
          return yield* Effect.fail(`refused ${c.address}`)
        case "Hang":
          yield* Effect.sleep(Duration.millis(b.timeout))
          log.push(`${yield* now} timeout ${c.address}`)
          return yield* Effect.fail(`timeout ${c.address}`)
      }
    }).pipe(Effect.onInterrupt(() => Effect.sync(() => log.push(`interrupted ${c.address}`))))
  return { log, probe }
}

const run = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.either(effect))
    yield* TestClock.adjust("1 minute")
    return yield* Fiber.join(fiber)
  })

describe("race", () => {
  it.effect("a dead local address delays a working remote one by the stagger only", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({
        local: { _tag: "Hang", timeout: 10_000 },
        remote: { _tag: "Answer", after: 30 }
      })
      const result = yield* run(
        Race.reach([candidate("local"), candidate("remote", "Remote")], probe, Race.Strategy.Race({ stagger: "100 millis" }))
      )
      assert.isTrue(Either.isRight(result))
      const won = Either.getOrThrow(result)
      assert.strictEqual(won.value, "remote")
      assert.strictEqual(won.candidate.mode, "Remote")
      assert.strictEqual(Duration.toMillis(won.responseTime), 30)
      assert.deepStrictEqual(won.lost, [])
      // The remote started after 100 ms and won at 130 ms; the hung local probe was interrupted.
      assert.deepStrictEqual(log, ["0 start local", "100 start remote", "130 answer remote", "interrupted local"])
    }))

  it.effect("starts the next candidate at once when one fails early (Happy Eyeballs)", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({
        a: { _tag: "Fail", after: 5 },
        b: { _tag: "Fail", after: 5 },
        c: { _tag: "Answer", after: 1 }
      })
      const result = yield* run(
        Race.reach([candidate("a"), candidate("b"), candidate("c")], probe, Race.Strategy.Race({ stagger: "100 millis" }))
      )
      const won = Either.getOrThrow(result)
      assert.strictEqual(won.value, "c")
      assert.deepStrictEqual(won.lost.map((l) => l.error), ["refused a", "refused b"])
      assert.deepStrictEqual(log, ["0 start a", "5 fail a", "5 start b", "10 fail b", "10 start c", "11 answer c"])
    }))

  it.effect("the fastest answer wins even if it started later", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({
        slow: { _tag: "Answer", after: 500 },
        fast: { _tag: "Answer", after: 10 }
      })
      const won = Either.getOrThrow(
        yield* run(Race.reach([candidate("slow"), candidate("fast")], probe, Race.Strategy.Race({ stagger: "100 millis" })))
      )
      assert.strictEqual(won.value, "fast")
      assert.deepStrictEqual(log, ["0 start slow", "100 start fast", "110 answer fast", "interrupted slow"])
    }))

  it.effect("fails with every candidate's failure, in candidate order, when none answers", () =>
    Effect.gen(function*() {
      const { probe } = scenario({
        a: { _tag: "Hang", timeout: 1_000 },
        b: { _tag: "Fail", after: 1 },
        c: { _tag: "Hang", timeout: 300 }
      })
      const result = yield* run(Race.reach([candidate("a"), candidate("b"), candidate("c")], probe, Race.defaultStrategy))
      assert.deepStrictEqual(
        Either.getLeft(result).pipe((o) => o._tag === "Some" ? o.value.map((l) => l.error) : []),
        ["timeout a", "refused b", "timeout c"]
      )
    }))

  it.effect("with no candidates fails at once with no attempts", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(Race.reach([], () => Effect.succeed(1)))
      assert.deepStrictEqual(result, Either.left([]))
    }))

  it.effect("the winner does not wait for a loser's interruption, and the loser is interrupted all the same", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({
        local: { _tag: "Hang", timeout: 10_000 },
        remote: { _tag: "Answer", after: 30 }
      })
      // Aborting the hung local probe takes until `gate` opens (a socket slow to abort).
      const gate = yield* Deferred.make<void>()
      const aborted = yield* Deferred.make<void>()
      const slowToAbort = (c: Candidate) =>
        c.address === "local"
          ? probe(c).pipe(Effect.onInterrupt(() =>
            Effect.zipRight(Deferred.await(gate), Effect.zipRight(Effect.sync(() => log.push("aborted local")), Deferred.succeed(aborted, undefined)))
          ))
          : probe(c)
      const won = Either.getOrThrow(
        yield* run(Race.reach([candidate("local"), candidate("remote", "Remote")], slowToAbort, Race.defaultStrategy))
      )
      assert.strictEqual(won.value, "remote")
      assert.deepStrictEqual(log.slice(0, 3), ["0 start local", "100 start remote", "130 answer remote"])
      assert.notInclude(log, "aborted local")
      yield* Deferred.succeed(gate, undefined)
      yield* Deferred.await(aborted)
      assert.deepStrictEqual(log.slice(3), ["interrupted local", "aborted local"])
    }))

  it.effect("in a given scope the losers are left to it: they start nothing new and are interrupted when it closes", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({
        a: { _tag: "Hang", timeout: 10_000 },
        b: { _tag: "Answer", after: 30 },
        c: { _tag: "Answer", after: 1 }
      })
      const interrupted = yield* Deferred.make<void>()
      const watched = (c: Candidate) =>
        c.address === "a" ? probe(c).pipe(Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))) : probe(c)
      const fiber = yield* Effect.fork(Race.releasing((scope) =>
        Effect.gen(function*() {
          const won = yield* Race.reach(
            [candidate("a"), candidate("b"), candidate("c")],
            watched,
            Race.Strategy.Race({ stagger: "100 millis" }),
            scope
          )
          // Past the time c's stagger would start it (200 ms): the race was decided at 130 ms.
          yield* Effect.sleep("1 second")
          return { won: won.value, log: [...log] }
        })
      ))
      yield* TestClock.adjust("2 seconds")
      const inScope = yield* Fiber.join(fiber)
      assert.strictEqual(inScope.won, "b")
      // a was still running while the scope was open, and c never started.
      assert.deepStrictEqual(inScope.log, ["0 start a", "100 start b", "130 answer b"])
      yield* Deferred.await(interrupted)
      assert.deepStrictEqual(log, ["0 start a", "100 start b", "130 answer b", "interrupted a"])
    }))

  it.effect("interrupting the race interrupts every probe", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({ a: { _tag: "Hang", timeout: 10_000 }, b: { _tag: "Hang", timeout: 10_000 } })
      const fiber = yield* Effect.fork(Race.reach([candidate("a"), candidate("b")], probe, Race.defaultStrategy))
      yield* TestClock.adjust("150 millis")
      yield* Fiber.interrupt(fiber)
      assert.sameMembers(log, ["0 start a", "100 start b", "interrupted a", "interrupted b"])
    }))
})

describe("sequential", () => {
  it.effect("waits for each candidate's timeout before trying the next", () =>
    Effect.gen(function*() {
      const { log, probe } = scenario({
        local: { _tag: "Hang", timeout: 10_000 },
        remote: { _tag: "Answer", after: 30 }
      })
      const won = Either.getOrThrow(
        yield* run(Race.reach([candidate("local"), candidate("remote", "Remote")], probe, Race.Strategy.Sequential()))
      )
      assert.strictEqual(won.value, "remote")
      assert.deepStrictEqual(won.lost.map((l) => l.error), ["timeout local"])
      assert.deepStrictEqual(log, ["0 start local", "10000 timeout local", "10000 start remote", "10030 answer remote"])
    }))
})
