// Runs the real `go` tool for the Go target's tests: caches under the repository's ignored
// .cache/go, the machine's toolchain only (GOTOOLCHAIN=local), no network needed (the generated
// code and the checks use the standard library alone). Every run has a timeout.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Generate from "../../src/Generate.js"

const cache = new URL("../../../../.cache/go/", import.meta.url).pathname

export const goEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GOCACHE: join(cache, "build"),
  GOMODCACHE: join(cache, "mod"),
  GOPATH: join(cache, "path"),
  GOTOOLCHAIN: "local",
  GOFLAGS: "-mod=mod",
  GOPROXY: "off",
  CGO_ENABLED: "0"
}

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command in `cwd` with the Go environment; resolves with its exit code and output. */
export const run = (command: string, args: ReadonlyArray<string>, cwd: string, timeout = 300_000): Promise<Run> =>
  new Promise((resolve) => {
    execFile(command, args, { cwd, env: goEnv, timeout, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
      resolve({ code, stdout, stderr: stderr + (error !== null && code === -1 ? String(error) : "") })
    })
  })

/** Fails with the command's output unless it exited 0. */
export const runOk = async (command: string, args: ReadonlyArray<string>, cwd: string, timeout?: number): Promise<string> => {
  const r = await run(command, args, cwd, timeout)
  if (r.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

const here = (p: string) => new URL(p, import.meta.url).pathname

/** The spec files the tests generate for. */
export const specs = {
  mediabrowser: here("../../../core/spec/mediabrowser.json"),
  acme: here("../../examples/acme.json"),
  tiny: here("../../examples/tiny.json"),
  split: here("./specs/split.json")
} as const

/** The files the go target (and, when asked, other targets) generates for a spec. */
export const generate = (spec: string, targets: ReadonlyArray<"go" | "vectors"> = ["go"]) =>
  Effect.runPromise(Generate.generateFile(spec, { targets }).pipe(Effect.provide(NodeContext.layer)))

/**
 * A temporary Go module `mbauthcheck`: the generated package in `auth/`, the checker of
 * ./check at the root, and the spec's vectors as `vectors.json`.
 */
export const makeModule = async (spec: string): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), "mbauth-go-"))
  mkdirSync(join(dir, "auth"))
  for (const file of await generate(spec, ["go", "vectors"])) {
    writeFileSync(join(dir, file.target === "go" ? join("auth", file.path) : "vectors.json"), file.content)
  }
  for (const file of readdirSync(here("./check"))) cpSync(join(here("./check"), file), join(dir, file))
  writeFileSync(join(dir, "go.mod"), "module mbauthcheck\n\ngo 1.21\n")
  return dir
}
