// The completion scripts, run in real shells (bash, zsh, fish: installed by apt where the tests
// run) against the built executable: a scripted completion request at every depth, for options,
// option values, paths and the saved servers' names (read from the credential file; nothing here
// listens, so a network call would fail the test by hanging or erroring).
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawnSync } from "node:child_process"
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Cli from "../src/Cli.js"
import * as Complete from "../src/internal/complete.js"
import { bin, buildOnce, mbauth } from "./utils/bin.js"

buildOnce()

const home = mkdtempSync(join(tmpdir(), "mbauth-completion-"))
const binDir = join(home, "bin")
const configDir = join(home, "config")
const env = { PATH: `${binDir}:${process.env.PATH ?? ""}`, HOME: home, MBAUTH_CONFIG_DIR: configDir, TERM: "dumb" }

beforeAll(async () => {
  mkdirSync(binDir)
  writeFileSync(join(binDir, "mbauth"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`)
  chmodSync(join(binDir, "mbauth"), 0o755)
  mkdirSync(join(home, "specs"))
  writeFileSync(join(home, "specs", "auth.json"), "{}")
  await Effect.runPromise(
    Effect.gen(function*() {
      const store = yield* CredentialStore.makeFile({ path: join(configDir, "credentials.json") })
      yield* store.upsertServer({ id: "a1b2c3d4e5f60718293a4b5c6d7e8f90", name: "Sandbox Jellyfin 12", addresses: { manual: "http://127.0.0.1:9" } })
      yield* store.upsertServer({ id: "c3d4e5f60718293a4b5c6d7e8f90a1b2", name: "Home", addresses: { manual: "http://127.0.0.1:9" } })
    }).pipe(Effect.provide(NodeContext.layer))
  )
})

// On a developer's machine a shell that is not installed is skipped; CI (.ci/run installs them)
// runs all three.
const has = (shell: string) => process.env["CI"] !== undefined || spawnSync(shell, ["-c", "true"]).status === 0

const shellRun = (shell: string, args: ReadonlyArray<string>, script: string) => {
  const r = spawnSync(shell, [...args, script], { encoding: "utf8", env, cwd: home, timeout: 30_000 })
  assert.strictEqual(r.status, 0, `${shell}: ${r.stderr}`)
  return r.stdout.split("\n").filter((l) => l !== "")
}

// bash: the words as bash splits them (COMP_WORDBREAKS splits at `=`), the cursor on the last one.
const bash = (words: ReadonlyArray<string>) =>
  shellRun("bash", ["-c"], [
    "source <(mbauth --completions bash)",
    `COMP_WORDS=(${words.join(" ")})`,
    `COMP_CWORD=${words.length - 1}`,
    "_mbauth",
    "printf '%s\\n' \"${COMPREPLY[@]}\""
  ].join("\n"))

// zsh: the script's function with zsh's completion builtins standing in (they only work inside
// an interactive completion widget); `words` and `CURRENT` as zsh sets them.
const zsh = (words: ReadonlyArray<string>) =>
  shellRun("zsh", ["-f", "-c"], [
    "compdef() { :; }",
    "compadd() { local -a v; local a; while (( $# )); do case $1 in -a) v=(${(P)2}); shift 2;; -d) shift 2;; *) shift;; esac; done; printf '%s\\n' \"${v[@]}\"; }",
    "_files() { print -- \"<files $*>\"; }",
    "source <(mbauth --completions zsh)",
    `words=(${words.join(" ")})`,
    `CURRENT=${words.length}`,
    "_mbauth"
  ].join("\n"))

// zsh for real: an interactive zsh on a pseudo-terminal (zpty) with compinit, typing the line and
// TAB; what the line reads afterwards (escape sequences dropped).
const zshTab = (line: string) => {
  const script = [
    "zmodload zsh/zpty",
    "zpty -b z 'zsh -f -i'",
    "zpty -w z 'PS1=\"> \"; autoload -Uz compinit; compinit -u -D; source <(mbauth --completions zsh); setopt nobeep'",
    `zpty -w -n z $'${line}\\t'`,
    "out=''",
    "for i in {1..20}; do sleep 0.25; while zpty -r -t z chunk; do out+=$chunk; done; done",
    "print -r -- $out",
    "zpty -d z"
  ].join("\n")
  const r = spawnSync("zsh", ["-f", "-c", script], { encoding: "utf8", env, cwd: home, timeout: 30_000 })
  assert.strictEqual(r.status, 0, r.stderr)
   
  const text = r.stdout.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, "").replace(/[\b\r]/g, "\n")
  return text
}

// fish: its own completion engine, `complete -C` on a command line.
const fish = (line: string) =>
  shellRun("fish", ["--no-config", "-c"], `mbauth --completions fish | source; complete -C ${JSON.stringify(line)}`).map((l) => l.split("\t")[0]!)

describe.runIf(has("bash"))("bash", () => {
  it("every depth: groups, commands, options, option values, paths, saved servers", () => {
    assert.includeMembers(bash(["mbauth", "''"]), ["header", "server", "codegen"])
    assert.deepStrictEqual(bash(["mbauth", "ser"]), ["server"])
    assert.deepStrictEqual(bash(["mbauth", "server", "lo"]), ["login", "logout"])
    assert.deepStrictEqual(bash(["mbauth", "header", "parse", "--mo"]), ["--mode"])
    assert.deepStrictEqual(bash(["mbauth", "header", "parse", "--mode", "''"]), ["strict", "compat"])
    assert.deepStrictEqual(bash(["mbauth", "header", "parse", "--mode", "=", "st"]), ["strict"])
    assert.deepStrictEqual(bash(["mbauth", "--completions", "z"]), ["zsh"])
    assert.deepStrictEqual(bash(["mbauth", "codegen", "check", "--spec", "specs/"]), ["specs/auth.json"])
    assert.deepStrictEqual(bash(["mbauth", "server", "login", "''"]).sort(), ["Home", "Sandbox\\ Jellyfin\\ 12"])
    assert.deepStrictEqual(bash(["mbauth", "get", "\"'Sandbox J'\""]), ["'Sandbox Jellyfin 12'"])
    assert.deepStrictEqual(bash(["mbauth", "--config-dir", "/nonexistent", "get", "''"]), [], "another config folder: no servers")
  })

  it("offers no subcommands again below a command", () => {
    assert.deepStrictEqual(bash(["mbauth", "server", "login", "Home", "--us"]), ["--user"])
    assert.notInclude(bash(["mbauth", "server", "login", "Home", "''"]), "add")
  })
})

describe.runIf(has("zsh"))("zsh", () => {
  it("every depth: groups, commands, options, option values, paths, saved servers", () => {
    assert.includeMembers(zsh(["mbauth", "''"]), ["header", "server", "codegen"])
    assert.deepStrictEqual(zsh(["mbauth", "server", "lo"]), ["login", "logout"])
    assert.deepStrictEqual(zsh(["mbauth", "header", "parse", "--mode", "''"]), ["strict", "compat"])
    assert.deepStrictEqual(zsh(["mbauth", "header", "parse", "--mode=c"]), ["--mode=compat"])
    assert.deepStrictEqual(zsh(["mbauth", "codegen", "generate", "--out", "''"]), ["<files -/>"])
    assert.deepStrictEqual(zsh(["mbauth", "get", "''"]).sort(), ["Home", "Sandbox Jellyfin 12"])
    assert.deepStrictEqual(zsh(["mbauth", "server", "remove", "\"'Sand'\""]), ["Sandbox Jellyfin 12"])
  })
})

describe.runIf(has("zsh"))("zsh, in a real completion widget", () => {
  it("TAB completes commands, option values and saved servers on the line", () => {
    assert.include(zshTab("mbauth server us"), "mbauth server use ")
    assert.include(zshTab("mbauth header parse --mode c"), "mbauth header parse --mode compat ")
    assert.include(zshTab("mbauth get Sa"), "mbauth get Sandbox\\ Jellyfin\\ 12 ")
  }, 60_000)
})

describe.runIf(has("fish"))("fish", () => {
  it("every depth: groups, commands, options, option values, paths, saved servers", () => {
    assert.includeMembers(fish("mbauth "), ["header", "server", "codegen"])
    assert.deepStrictEqual(fish("mbauth server lo"), ["login", "logout"])
    assert.deepStrictEqual(fish("mbauth request explain --pro"), ["--profile"])
    assert.includeMembers(fish("mbauth request explain --profile "), ["emby", "jellyfin-12"])
    assert.deepStrictEqual(fish("mbauth codegen check --spec specs/"), ["specs/auth.json"])
    assert.deepStrictEqual(fish("mbauth get ").sort(), ["Home", "Sandbox Jellyfin 12"])
    assert.deepStrictEqual(fish("mbauth server logout 'Sandbox J"), ["Sandbox Jellyfin 12"])
  })
})

describe("the completion requests", () => {
  const program = Cli.app.spec()
  it("name the servers only where a SERVER goes", () => {
    assert.isTrue(Complete.complete(program, ["get", ""]).servers)
    assert.isTrue(Complete.complete(program, ["--json", "server", "login", "H"]).servers)
    assert.isFalse(Complete.complete(program, ["get", "Home", ""]).servers, "PATH is not a server")
    assert.isFalse(Complete.complete(program, ["server", "login", "--user", ""]).servers, "a user name")
    assert.isFalse(Complete.complete(program, ["header", "parse", ""]).servers)
  })

  it("without servers, are answered from the spec", () => {
    const r = mbauth(["__complete", "fish", "header", ""])
    assert.strictEqual(r.status, 0)
    assert.deepStrictEqual(r.stdout.split("\n").map((l) => l.split("\t")[0]), ["format", "parse", "lint", ""])
  })

  it("--completions prints each shell's script; other shells are a usage error", () => {
    for (const shell of Complete.shells) {
      const r = mbauth(["--completions", shell])
      assert.strictEqual(r.status, 0)
      assert.strictEqual(r.stdout, Complete.script(shell))
    }
    assert.strictEqual(mbauth(["--completions", "sh"]).status, 2)
  })
})
