// Starts the sandbox from the installed @mbauth/testing, prints its JSON description on one line and
// keeps it running until stdin closes.
import { makeSandbox } from "@mbauth/testing"
import * as Effect from "effect/Effect"

const program = Effect.gen(function*() {
  const sandbox = yield* makeSandbox()
  console.log(JSON.stringify(sandbox.services))
  yield* Effect.async<void>((resume) => {
    process.stdin.resume()
    process.stdin.on("end", () => resume(Effect.void))
    process.stdin.on("close", () => resume(Effect.void))
  })
}).pipe(Effect.scoped)

Effect.runPromise(program).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
