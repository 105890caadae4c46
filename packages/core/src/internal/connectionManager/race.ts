/**
 * Reaching a server through one of several addresses.
 *
 * `Race` (the default) probes candidates concurrently with staggered starts, Happy-Eyeballs style
 * (RFC 8305): candidate i starts `stagger` after candidate i-1 started, or as soon as i-1 failed,
 * whichever comes first; the first success wins and the others are interrupted (their requests
 * aborted). A dead address that accepts and never answers therefore costs the next candidate only
 * the stagger, never its timeout. This is what the Emby web client does since 2020 (`Promise.any`
 * over local/manual/remote with 0/100/200 ms delays), minus its wait on failed candidates.
 *
 * `Sequential` tries one candidate after another, each until it answers or times out (the C#,
 * Java, Swift and Kodi clients). Kept for comparison: the benchmark measures both.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { Candidate } from "./addresses.js"

/** How candidates are probed. */
export type Strategy = Data.TaggedEnum<{
  Race: { readonly stagger: Duration.DurationInput }
  Sequential: {}
}>

/** Constructors of {@link Strategy}. */
export const Strategy = Data.taggedEnum<Strategy>()

/** The default: a race with starts 100 ms apart (the Emby web client's spacing). */
export const defaultStrategy: Strategy = Strategy.Race({ stagger: Duration.millis(100) })

/** A candidate that failed, and why. */
export interface Lost<E> {
  readonly candidate: Candidate
  readonly error: E
}

/** A candidate that answered, what it answered, and how long that took. */
export interface Won<A> {
  readonly candidate: Candidate
  readonly value: A
  readonly responseTime: Duration.Duration
}

/** The winner, and the candidates that had failed by then (in candidate order). */
export interface Reached<A, E> extends Won<A> {
  readonly lost: ReadonlyArray<Lost<E>>
}

const timed = <A, E, R>(
  candidate: Candidate,
  probe: (candidate: Candidate) => Effect.Effect<A, E, R>
): Effect.Effect<Won<A>, Lost<E>, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) =>
    probe(candidate).pipe(
      Effect.mapError((error): Lost<E> => ({ candidate, error })),
      Effect.flatMap((value) =>
        Effect.map(Clock.currentTimeMillis, (end): Won<A> => ({
          candidate,
          value,
          responseTime: Duration.millis(Math.max(0, end - start))
        }))
      )
    ))

/**
 * Probes the candidates by the strategy. Succeeds with the first candidate whose probe succeeds;
 * fails with every candidate's failure (in candidate order) when none does.
 */
export const reach = <A, E, R>(
  candidates: ReadonlyArray<Candidate>,
  probe: (candidate: Candidate) => Effect.Effect<A, E, R>,
  strategy: Strategy = defaultStrategy
): Effect.Effect<Reached<A, E>, ReadonlyArray<Lost<E>>, R> =>
  candidates.length === 0
    ? Effect.fail([])
    : strategy._tag === "Sequential"
    ? sequential(candidates, probe)
    : race(candidates, probe, Duration.decode(strategy.stagger))

const sequential = <A, E, R>(
  candidates: ReadonlyArray<Candidate>,
  probe: (candidate: Candidate) => Effect.Effect<A, E, R>
): Effect.Effect<Reached<A, E>, ReadonlyArray<Lost<E>>, R> =>
  Effect.gen(function*() {
    const lost: Array<Lost<E>> = []
    for (const candidate of candidates) {
      const result = yield* Effect.either(timed(candidate, probe))
      if (result._tag === "Right") return { ...result.right, lost }
      lost.push(result.left)
    }
    return yield* Effect.fail(lost)
  })

const race = <A, E, R>(
  candidates: ReadonlyArray<Candidate>,
  probe: (candidate: Candidate) => Effect.Effect<A, E, R>,
  stagger: Duration.Duration
): Effect.Effect<Reached<A, E>, ReadonlyArray<Lost<E>>, R> =>
  Effect.scoped(Effect.gen(function*() {
    // Every probe is forked into this scope: closing it (a winner, a failure, or the caller being
    // interrupted) interrupts the probes still running, which aborts their requests.
    const scope = yield* Effect.scope
    const outcome = yield* Deferred.make<Reached<A, E>, ReadonlyArray<Lost<E>>>()
    const lost: Array<Lost<E> | undefined> = candidates.map(() => undefined)
    const failures = () => lost.filter((l): l is Lost<E> => l !== undefined)
    let pending = candidates.length

    const attempt = (index: number) =>
      Effect.matchEffect(timed(candidates[index]!, probe), {
        onSuccess: (won) => Deferred.succeed(outcome, { ...won, lost: failures() }),
        onFailure: (failure) =>
          Effect.suspend(() => {
            lost[index] = failure
            pending -= 1
            // Candidates start one after another, so the last failure is the last candidate's
            // or comes after it started: nothing is left to wait for.
            return pending === 0
              ? Deferred.fail(outcome, failures())
              : Effect.void
          })
      })

    const launch = (index: number): Effect.Effect<void, never, R> =>
      Effect.gen(function*() {
        const done = yield* Deferred.make<void>()
        yield* Effect.forkIn(attempt(index).pipe(Effect.ensuring(Deferred.succeed(done, undefined))), scope)
        if (index + 1 >= candidates.length) return
        // The next one starts after the stagger, or at once when this one has already failed.
        yield* Effect.raceFirst(Effect.sleep(stagger), Deferred.await(done))
        yield* launch(index + 1)
      })

    yield* Effect.forkIn(launch(0), scope)
    return yield* Deferred.await(outcome)
  }))
