// A Terminal driven by the test: keys are queued with `inputKey`/`inputText`, and what a prompt
// draws is recorded. Adapted from @effect/cli's test/services/MockTerminal.ts (MIT).
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"

export interface MockTerminal extends Terminal.Terminal {
  readonly inputText: (text: string) => Effect.Effect<void>
  readonly inputKey: (key: string, modifiers?: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }>) => Effect.Effect<void>
  readonly displayed: ReadonlyArray<string>
}

const shouldQuit = (input: Terminal.UserInput) => input.key.ctrl && (input.key.name === "c" || input.key.name === "d")

const toUserInput = (key: string, modifiers: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }> = {}): Terminal.UserInput => ({
  input: Option.some(key),
  key: { name: key, ctrl: modifiers.ctrl ?? false, meta: modifiers.meta ?? false, shift: modifiers.shift ?? false }
})

export const make = Effect.gen(function*() {
  const queue = yield* Effect.acquireRelease(Queue.unbounded<Terminal.UserInput>(), Queue.shutdown)
  const displayed: Array<string> = []
  const terminal: MockTerminal = {
    columns: Effect.succeed(80),
    rows: Effect.succeed(24),
    isTTY: Effect.succeed(true),
    display: (text) => Effect.sync(() => void displayed.push(text)),
    // Like NodeTerminal: keys flow into a mailbox that ends after a quit key (Ctrl-C, Ctrl-D).
    readInput: Effect.gen(function*() {
      const mailbox = yield* Mailbox.make<Terminal.UserInput>()
      yield* Effect.forkScoped(
        Effect.forever(
          Effect.flatMap(Queue.take(queue), (input) =>
            Effect.sync(() => {
              mailbox.unsafeOffer(input)
              if (shouldQuit(input)) mailbox.unsafeDone(Exit.void)
            }))
        )
      )
      return mailbox
    }),
    readLine: Effect.succeed(""),
    inputText: (text) => Queue.offerAll(queue, Array.from(text, (key) => toUserInput(key))).pipe(Effect.asVoid),
    inputKey: (key, modifiers) => Queue.offer(queue, toUserInput(key, modifiers)).pipe(Effect.asVoid),
    displayed
  }
  return terminal
})

export const layer = (terminal: MockTerminal) => Layer.succeed(Terminal.Terminal, terminal)
