/**
 * Reaching a server through one of several addresses.
 *
 * `Race` (the default) probes candidates concurrently with staggered starts, Happy-Eyeballs style
 * (RFC 8305): candidate i starts `stagger` after candidate i-1 started, or as soon as i-1 failed,
 * whichever comes first; the first success wins and the others are interrupted (their requests
 * aborted) in the background: the winner never waits for a loser's abort. A dead address that
 * accepts and never answers therefore costs the next candidate only the stagger, never its
 * timeout. This is what the Emby web client does since 2020 (`Promise.any` over
 * local/manual/remote with 0/100/200 ms delays), minus its wait on failed candidates.
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
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
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
 * Runs `use` with a fresh scope for the fibers it leaves behind (the losing probes of a race).
 * On success the scope is closed in the background: the result does not wait for the losers,
 * whose requests can take a while to abort, yet they are interrupted all the same (the closing
 * fiber is uninterruptible, and closing waits for every fiber in the scope). On failure or
 * interruption the scope is closed before returning, as interrupting any effect does.
 */
export const releasing = <A, E, R>(use: (scope: Scope.Scope) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Scope.make(), (scope) =>
      Effect.flatMap(Effect.exit(restore(use(scope))), (exit) =>
        Exit.isSuccess(exit)
          ? Effect.zipRight(Effect.forkDaemon(Scope.close(scope, exit)), exit)
          : Effect.zipRight(Scope.close(scope, exit), exit)))
  )

/** {@link releasing} for an effect that takes the scope from its context (`Effect.scope`). */
export const releasingScoped = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, Scope.Scope>> =>
  releasing((scope) => Scope.extend(effect, scope))

/**
 * Probes the candidates by the strategy. Succeeds with the first candidate whose probe succeeds;
 * fails with every candidate's failure (in candidate order) when none does.
 *
 * The probes of a race are forked into `scope` when one is given: the losers are then left to
 * it (they start nothing new once the race is decided) and are interrupted when it closes —
 * {@link releasing} closes it when the whole operation is done, so aborting them costs that
 * operation nothing. Without a scope they are interrupted in the background as soon as the race
 * is decided.
 */
export const reach = <A, E, R>(
  candidates: ReadonlyArray<Candidate>,
  probe: (candidate: Candidate) => Effect.Effect<A, E, R>,
  strategy: Strategy = defaultStrategy,
  scope?: Scope.Scope
): Effect.Effect<Reached<A, E>, ReadonlyArray<Lost<E>>, R> =>
  candidates.length === 0
    ? Effect.fail([])
    : strategy._tag === "Sequential"
    ? sequential(candidates, probe)
    : scope === undefined
    ? releasing((own) => race(candidates, probe, Duration.decode(strategy.stagger), own))
    : race(candidates, probe, Duration.decode(strategy.stagger), scope)

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
  stagger: Duration.Duration,
  scope: Scope.Scope
): Effect.Effect<Reached<A, E>, ReadonlyArray<Lost<E>>, R> =>
  Effect.gen(function*() {
    // Every fiber is forked into the scope: closing it interrupts the probes still running,
    // which aborts their requests, and the stagger timers still pending.
    const outcome = yield* Deferred.make<Reached<A, E>, ReadonlyArray<Lost<E>>>()
    const lost: Array<Lost<E> | undefined> = candidates.map(() => undefined)
    const started: Array<boolean> = candidates.map(() => false)
    const failures = () => lost.filter((l): l is Lost<E> => l !== undefined)
    let pending = candidates.length
    let decided = false

    // Starts candidate `index` unless it has started already or the race is decided: forks its
    // probe and arms the next candidate's stagger timer in the calling fiber right away. (The
    // other way round, a forked timer fiber would only run once the probe yields, after its
    // request is out, and start the next candidate that much late.) Whichever comes first starts
    // a candidate: the timer armed when the one before it started, or that one's failure.
    const start = (index: number): Effect.Effect<void, never, R> =>
      Effect.suspend(() => {
        if (decided || index >= candidates.length || started[index]) return Effect.void
        started[index] = true
        const probing = Effect.forkIn(attempt(index), scope)
        return index + 1 < candidates.length
          ? Effect.zipRight(probing, Effect.zipRight(Effect.sleep(stagger), start(index + 1)))
          : probing
      })

    const attempt = (index: number): Effect.Effect<void, never, R> =>
      Effect.matchEffect(timed(candidates[index]!, probe), {
        onSuccess: (won) =>
          Effect.suspend(() => {
            if (decided) return Effect.void
            decided = true
            return Deferred.succeed(outcome, { ...won, lost: failures() })
          }),
        onFailure: (failure) =>
          Effect.suspend(() => {
            if (decided) return Effect.void
            lost[index] = failure
            pending -= 1
            // Candidates start one after another, so the last failure is the last candidate's
            // or comes after it started: nothing is left to wait for. Otherwise the next
            // candidate starts now, if its stagger has not started it yet (Happy Eyeballs).
            if (pending > 0) return start(index + 1)
            decided = true
            return Deferred.fail(outcome, failures())
          })
      })

    yield* Effect.forkIn(start(0), scope)
    return yield* Deferred.await(outcome)
  })
