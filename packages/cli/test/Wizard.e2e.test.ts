// `--wizard` (an @effect/cli built-in) is refused: without a terminal it waited forever, it wrote
// control codes into redirected output, defaulted every yes/no to yes (`--show-secrets` included),
// showed internal values as defaults and printed command lines that do not run.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { buildOnce, mbauthAsync } from "./utils/bin.js"
import { run } from "./utils/cli.js"

buildOnce()

describe("--wizard", () => {
  it("is a usage error at once, anywhere on the command line, with no control codes", async () => {
    for (const args of [["--wizard"], ["header", "parse", "--wizard"], ["--json", "server", "login", "--wizard"]]) {
      const r = await mbauthAsync(args)
      assert.strictEqual(r.status, 2, args.join(" "))
      assert.strictEqual(r.stdout, "")
      assert.match(r.stderr, /^error: mbauth has no --wizard mode\n {2}every command says what it needs in `mbauth COMMAND --help`/)
      assert.notMatch(r.stderr, /\u001b/)
    }
  })

  it("beside --help the help page is shown, by the executable (from commands.json) and the program alike", async () => {
    for (const args of [["--wizard", "--help"], ["header", "parse", "--wizard", "-h"]]) {
      const served = await mbauthAsync(args)
      const program = await Effect.runPromise(run(args))
      assert.strictEqual(served.status, 0, args.join(" "))
      assert.strictEqual(program.exitCode, 0, `${args.join(" ")}: ${program.stderr}`)
      assert.strictEqual(program.stdout, served.stdout, args.join(" "))
    }
  })

  it("after --, it is an argument like any other", async () => {
    const r = await mbauthAsync(["header", "parse", "--", "--wizard"])
    assert.notInclude(r.stderr, "no --wizard mode")
  })

  it("the help footer no longer offers it", async () => {
    const r = await mbauthAsync(["--help"])
    assert.strictEqual(r.status, 0)
    assert.notInclude(r.stdout, "--wizard")
  })
})
