// Every example in the help pages is run, exactly as printed, by a real shell against the sandbox:
// `mbauth` on PATH is the built executable, `http://127.0.0.1:8096` stands for the sandbox's
// Jellyfin 12 server, `127.0.0.1:7359` for its discovery responder, MBAUTH_CONNECT_URL points at its Connect service, and the working folder
// holds a copy of core's spec as spec.json. An example must exit 0 (one that shows a failure says
// so itself, `|| echo …`). The order below is a session a user would type; it must list every
// command, so that a new example cannot go unrun.
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Cli from "../src/Cli.js"
import type * as Spec from "../src/internal/commandSpec.js"
import { bin, buildOnce, root } from "./utils/bin.js"
import { type RunningSandbox, type Service, startSandbox, stopSandbox } from "./utils/sandboxProcess.js"

buildOnce()

const order = [
  "",
  "header",
  "header format",
  "header parse",
  "header lint",
  "request",
  "request explain",
  "server add",
  "server",
  "server login",
  "server list",
  "server approve",
  "server use",
  "auth",
  "auth status",
  "auth token",
  "get",
  "api",
  "doctor",
  "server logout",
  "server remove",
  "server discover",
  "connect login",
  "connect",
  "connect servers",
  "connect pin",
  "connect logout",
  "sandbox",
  "sandbox confirm-pin",
  "sandbox approve",
  "codegen json-schema",
  "codegen generate",
  "codegen",
  "codegen check"
]

const examplesByPath = (command: Spec.CommandSpec, prefix: ReadonlyArray<string> = []): Array<[string, ReadonlyArray<Spec.Example>]> => [
  [prefix.join(" "), command.examples],
  ...command.subcommands.flatMap((c) => examplesByPath(c, [...prefix, c.name]))
]

const jellyfinAddress = "http://127.0.0.1:8096"
const discoveryAddress = "127.0.0.1:7359"

// The Emby Connect website's part of a PIN sign-in: alice signs in there and confirms the PIN.
const confirmPin = async (connect: Service, pin: string) => {
  const headers = { "X-Application": "mbauth-tests/0.1.0", "Content-Type": "application/x-www-form-urlencoded" }
  const auth = await fetch(`${connect.apiUrl}user/authenticate`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ nameOrEmail: "alice@example.com", rawpw: "alice-connect-password" })
  })
  assert.strictEqual(auth.status, 200)
  const { AccessToken, User } = (await auth.json()) as { AccessToken: string; User: { Id: string } }
  const confirmed = await fetch(`${connect.apiUrl}pin/confirm?${new URLSearchParams({ pin, userId: User.Id })}`, {
    method: "POST",
    headers: { "X-Connect-UserToken": AccessToken }
  })
  assert.strictEqual(confirmed.status, 200)
}

// What a person starts elsewhere for `sandbox confirm-pin` and `sandbox approve` to act on: a PIN
// waiting on Emby Connect, a Quick Connect request waiting on Jellyfin 12. The examples' PIN
// (4096) and code (123456) stand for them.
const waitingPin = async (connect: Service): Promise<string> => {
  const created = await fetch(`${connect.apiUrl}pin`, {
    method: "POST",
    headers: { "X-Application": "mbauth-tests/0.1.0", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ deviceId: "examples-device" })
  })
  assert.strictEqual(created.status, 200)
  return ((await created.json()) as { Pin: string }).Pin
}

const waitingCode = async (jellyfin: Service): Promise<string> => {
  const initiated = await fetch(`${jellyfin.url}/QuickConnect/Initiate`, {
    method: "POST",
    headers: { Authorization: `MediaBrowser Client="mbauth-tests", Device="examples", DeviceId="examples-device", Version="0.1.0"` }
  })
  assert.strictEqual(initiated.status, 200)
  return ((await initiated.json()) as { Code: string }).Code
}

interface Shell {
  readonly cwd: string
  readonly env: Record<string, string>
  readonly sandbox: RunningSandbox
}

const run = (shell: Shell, command: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const [connect] = shell.sandbox.services as [Service]
    // Its own process group, so that a signal reaches mbauth and not only the shell.
    const child = spawn("sh", ["-c", command], { cwd: shell.cwd, env: shell.env, detached: true })
    const signal = (name: NodeJS.Signals) => process.kill(-child.pid!, name)
    let stdout = ""
    let stderr = ""
    let confirming: Promise<void> | undefined
    child.stdout.on("data", (chunk) => (stdout += String(chunk)))
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk)
      const pin = /Enter the PIN (\S+)/.exec(stderr)?.[1]
      if (pin !== undefined && confirming === undefined) confirming = confirmPin(connect, pin)
      // A long-running example (the sandbox) has shown it works once it says so: stop it.
      if (stderr.includes("Ctrl-C stops it")) signal("SIGINT")
    })
    const timer = setTimeout(() => signal("SIGKILL"), 60_000)
    child.on("error", reject)
    child.on("close", async (exitCode, signalName) => {
      // The shell, stopped by the same Ctrl-C, reports it as a signal.
      const code = signalName === "SIGINT" ? 130 : exitCode
      clearTimeout(timer)
      if (confirming !== undefined) await confirming.catch(reject)
      resolve({ code, stdout, stderr })
    })
  })

describe("the examples in the help pages", () => {
  it("list every command in the session order", () => {
    assert.sameMembers(examplesByPath(Cli.app.spec().root).map(([path]) => path), order)
  })

  it("each run as printed, against the sandbox, and exit 0", async () => {
    const sandbox = await startSandbox()
    const cwd = mkdtempSync(join(tmpdir(), "mbauth-examples-"))
    try {
      const byName = (name: string): Service => {
        const service = sandbox.services.find((s) => s.name === name)
        assert.isDefined(service, name)
        return service!
      }
      const connect = byName("Emby Connect")
      const jellyfin12 = byName("Sandbox Jellyfin 12")
      const discovery = sandbox.services.find((s) => s.kind === "Discovery") as unknown as { host: string; port: number }
      const binDir = join(cwd, ".bin")
      mkdirSync(binDir)
      writeFileSync(join(binDir, "mbauth"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`)
      chmodSync(join(binDir, "mbauth"), 0o755)
      copyFileSync(join(root, "..", "core", "spec", "mediabrowser.json"), join(cwd, "spec.json"))
      const shell: Shell = {
        cwd,
        sandbox,
        env: {
          PATH: `${binDir}:${process.env.PATH ?? ""}`,
          MBAUTH_CONFIG_DIR: join(cwd, "config"),
          MBAUTH_CONNECT_URL: connect.apiUrl
        }
      }
      const examples = new Map(examplesByPath(Cli.app.spec().root))
      let count = 0
      for (const path of order) {
        for (const example of examples.get(path)!) {
          let command = example.command.replaceAll(jellyfinAddress, jellyfin12.url)
            .replaceAll(discoveryAddress, `${discovery.host}:${discovery.port}`)
          if (command.startsWith("mbauth sandbox confirm-pin 4096")) command = command.replace("4096", await waitingPin(connect))
          if (command.startsWith("mbauth sandbox approve 123456")) command = command.replace("123456", await waitingCode(jellyfin12))
          const r = await run(shell, command)
          // The sandbox example is stopped with Ctrl-C once it runs (130 is how it reports that).
          const expected = example.command === "mbauth sandbox" ? 130 : 0
          assert.strictEqual(r.code, expected, `${command}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
          count++
        }
      }
      assert.isAtLeast(count, order.length)
    } finally {
      await stopSandbox(sandbox.child)
      rmSync(cwd, { recursive: true, force: true })
    }
  }, 300_000)
})
