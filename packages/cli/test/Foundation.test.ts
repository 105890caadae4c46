// The conventions every command inherits from Action.make, Global, Output and Secret, checked
// through small probe commands mounted under the real root.
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Action from "../src/Action.js"
import * as Cli from "../src/Cli.js"
import * as CliError from "../src/CliError.js"
import * as Global from "../src/Global.js"
import * as Output from "../src/Output.js"
import * as Secret from "../src/Secret.js"
import { run } from "./utils/cli.js"

const secret = "0123456789abcdef0123456789abcdef"

class Boom extends Error {
  readonly _tag = "Boom"
}

const probe = Command.make("probe").pipe(
  Command.withSubcommands([
    Action.make("globals", {}, () =>
      Effect.flatMap(Global.Globals, (g) =>
        Output.result(
          () => `json=${g.json} verbose=${g.verbose} noColor=${g.noColor} configDir=${Option.getOrElse(g.configDir, () => "-")}`,
          () => ({ ok: true, configDir: Option.getOrNull(g.configDir), verbose: g.verbose })
        ))),
    Action.make("log", {}, () =>
      Effect.gen(function*() {
        yield* Effect.logDebug(`sending Token="${secret}" to the server`)
        yield* Effect.logInfo("api_key", Redacted.make(secret))
        yield* Output.result(() => "done", () => ({ ok: true }))
      })),
    Action.make(
      "fail",
      { kind: Options.choice("kind", ["command", "usage", "tagged", "defect", "reported"] as const) },
      ({ kind }): Effect.Effect<void, CliError.CliError | Boom> => {
        switch (kind) {
          case "command":
            return Effect.fail(
              new CliError.CommandFailed({ code: "ServerUnreachable", message: "cannot reach the server", hint: "check the address" })
            )
          case "usage":
            return Effect.fail(new CliError.UsageError({ message: "--a and --b cannot be used together" }))
          case "tagged":
            return Effect.fail(new Boom("the boom failed"))
          case "defect":
            return Effect.die(new Error("a bug"))
          case "reported":
            return Effect.fail(new CliError.Reported({ exitCode: 1 }))
        }
      }
    ),
    Action.make(
      "secret",
      { tokenStdin: Secret.stdinFlag("token", "MBAUTH_TOKEN"), required: Options.boolean("required"), prompt: Options.boolean("prompt") },
      (args) =>
        Effect.gen(function*() {
          const source: Secret.Source = {
            what: "the token",
            stdinFlag: "--token-stdin",
            fromStdin: args.tokenStdin,
            env: "MBAUTH_TOKEN",
            ...(args.prompt ? { prompt: "Token" } : {})
          }
          const value = args.required ? Option.some(yield* Secret.required(source)) : yield* Secret.read(source)
          // Proves the value arrived without printing it.
          yield* Output.result(
            () => Option.match(value, { onNone: () => "none", onSome: (v) => `length ${Redacted.value(v).length}` }),
            () => ({ ok: true, length: Option.getOrNull(Option.map(value, (v) => Redacted.value(v).length)) })
          )
        })
    )
  ])
)

const app = Cli.make([probe])

describe("global options", () => {
  it.effect("default to off, and read MBAUTH_CONFIG_DIR", () =>
    Effect.gen(function*() {
      const plain = yield* run(["probe", "globals"], { app })
      assert.strictEqual(plain.stdout, "json=false verbose=false noColor=false configDir=-\n")
      const fromEnv = yield* run(["probe", "globals"], { app, env: { MBAUTH_CONFIG_DIR: "/tmp/from-env" } })
      assert.include(fromEnv.stdout, "configDir=/tmp/from-env")
    }))

  it.effect("are read before and after the command name; the flag beats the environment", () =>
    Effect.gen(function*() {
      const r = yield* run(["--verbose", "probe", "globals", "--config-dir", "/tmp/flag", "--json", "--no-color"], {
        app,
        env: { MBAUTH_CONFIG_DIR: "/tmp/from-env" }
      })
      assert.strictEqual(r.exitCode, 0)
      assert.deepStrictEqual(JSON.parse(r.stdout), { ok: true, configDir: "/tmp/flag", verbose: true })
      const eq = yield* run(["probe", "globals", "--config-dir=/tmp/eq"], { app })
      assert.include(eq.stdout, "configDir=/tmp/eq")
    }))
})

describe("--verbose", () => {
  it.effect("logs go to stderr only with --verbose, with secrets masked", () =>
    Effect.gen(function*() {
      const quiet = yield* run(["probe", "log"], { app })
      assert.strictEqual(quiet.stdout, "done\n")
      assert.strictEqual(quiet.stderr, "")
      const loud = yield* run(["probe", "log", "--verbose"], { app })
      assert.strictEqual(loud.stdout, "done\n")
      assert.include(loud.stderr, "sending Token=")
      assert.include(loud.stderr, "api_key")
      assert.notInclude(loud.stderr, secret)
      assert.notInclude(loud.stdout, secret)
      // The built-in --log-level works too (Info, Effect's default, counts as not set).
      const debug = yield* run(["probe", "log", "--log-level", "debug"], { app })
      assert.include(debug.stderr, "sending Token=")
      assert.notInclude(debug.stderr, secret)
    }))
})

describe("errors and exit codes", () => {
  it.effect("an operation failure: exit 1, one or two lines on stderr, nothing on stdout", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "fail", "--kind", "command"], { app })
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stdout, "")
      assert.strictEqual(r.stderr, "error: cannot reach the server\n  check the address\n")
    }))

  it.effect("with --json the failure is one JSON object on stdout", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "fail", "--kind", "command", "--json"], { app })
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stderr, "")
      assert.deepStrictEqual(JSON.parse(r.stdout), {
        ok: false,
        error: { code: "ServerUnreachable", message: "cannot reach the server", hint: "check the address" }
      })
    }))

  it.effect("a usage error found by the command: exit 2, on stderr even with --json", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "fail", "--kind", "usage", "--json"], { app })
      assert.strictEqual(r.exitCode, 2)
      assert.strictEqual(r.stdout, "")
      assert.strictEqual(r.stderr, "error: --a and --b cannot be used together\n")
    }))

  it.effect("an untranslated typed error is still one line, exit 1", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "fail", "--kind", "tagged"], { app })
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stderr, "error: the boom failed\n")
    }))

  it.effect("a defect is an internal error, with details only under --verbose", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "fail", "--kind", "defect"], { app })
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stderr, "error: internal error: a bug\n  this is a bug in mbauth; --verbose prints the details\n")
      const verbose = yield* run(["probe", "fail", "--kind", "defect", "--verbose"], { app })
      assert.include(verbose.stderr, "Error: a bug")
      assert.include(verbose.stderr, "error: internal error: a bug")
    }))

  it.effect("a command that reported its own failure only sets the exit code", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "fail", "--kind", "reported"], { app })
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stdout + r.stderr, "")
    }))
})

describe("secrets", () => {
  it.effect("--token-stdin reads stdin without the trailing newline", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "secret", "--token-stdin"], { app, stdin: `${secret}\n` })
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stdout, "length 32\n")
      const crlf = yield* run(["probe", "secret", "--token-stdin"], { app, stdin: `${secret}\r\n` })
      assert.strictEqual(crlf.stdout, "length 32\n")
    }))

  it.effect("the environment variable is used when there is no --token-stdin", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "secret"], { app, env: { MBAUTH_TOKEN: secret } })
      assert.strictEqual(r.stdout, "length 32\n")
      const none = yield* run(["probe", "secret"], { app })
      assert.strictEqual(none.stdout, "none\n")
    }))

  it.effect("--token-stdin on a terminal or with empty stdin is a usage error", () =>
    Effect.gen(function*() {
      const tty = yield* run(["probe", "secret", "--token-stdin"], { app, isTTY: { stdin: true, stdout: true } })
      assert.strictEqual(tty.exitCode, 2)
      assert.include(tty.stderr, "--token-stdin reads the token from a pipe, but stdin is a terminal")
      const empty = yield* run(["probe", "secret", "--token-stdin"], { app, stdin: "" })
      assert.strictEqual(empty.exitCode, 2)
      assert.include(empty.stderr, "stdin is empty")
    }))

  it.effect("a required secret without a terminal fails at once, naming the flag and the variable", () =>
    Effect.gen(function*() {
      // stdin is a pipe: a prompt would read the pipe or hang, so there is none.
      const piped = yield* run(["probe", "secret", "--required", "--prompt"], { app, isTTY: { stdin: false, stdout: true } })
      assert.strictEqual(piped.exitCode, 2)
      assert.strictEqual(piped.stdout, "")
      assert.include(piped.stderr, "the token is needed, and there is no terminal to prompt on")
      assert.include(piped.stderr, "use --token-stdin or MBAUTH_TOKEN")
      // stdout redirected: nobody would see the prompt.
      const redirected = yield* run(["probe", "secret", "--required", "--prompt"], { app, isTTY: { stdin: true, stdout: false } })
      assert.strictEqual(redirected.exitCode, 2)
      // A secret the command never prompts for.
      const noPrompt = yield* run(["probe", "secret", "--required"], { app })
      assert.strictEqual(noPrompt.exitCode, 2)
      assert.include(noPrompt.stderr, "error: the token is needed\n  use --token-stdin or MBAUTH_TOKEN")
    }))

  it.effect("on a terminal a hidden prompt asks, drawn on the terminal, never echoing the secret", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "secret", "--required", "--prompt"], {
        app,
        isTTY: { stdin: true, stdout: true },
        terminal: (t) => Effect.zipRight(t.inputText("s3cret-value"), t.inputKey("enter"))
      })
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stdout, "length 12\n")
      assert.include(r.displayed, "Token")
      assert.notInclude(r.displayed, "s3cret-value")
    }))

  it.effect("Ctrl-C at the prompt ends the command with 130", () =>
    Effect.gen(function*() {
      const r = yield* run(["probe", "secret", "--required", "--prompt"], {
        app,
        isTTY: { stdin: true, stdout: true },
        terminal: (t) => Effect.zipRight(t.inputText("abc"), t.inputKey("c", { ctrl: true }))
      })
      assert.strictEqual(r.exitCode, 130)
      assert.strictEqual(r.stdout, "")
    }))
})
