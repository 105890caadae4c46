/**
 * Row 13: the Go module generated for the real spec (`--target go`), its compat `Parse` against
 * the regular expression and `url.QueryUnescape` a Go client writes today, on the typical header,
 * timed in Go (`go/main.go`: paired samples of interleaved slices, as `pairSync` takes them).
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Budget, type Paired, type Row, row } from "./Harness.js"
import { typicalHeader } from "./Inputs.js"

const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url))

// dist/bench.mjs and src/GoRows.ts are both one level below the package.
const root = path("../../../")
const codegenBin = join(root, "packages/codegen/dist/bin.js")
const cache = join(root, ".cache/go")

// The machine's toolchain only, caches under the repository's ignored .cache/go, no network.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  GOCACHE: join(cache, "build"),
  GOMODCACHE: join(cache, "mod"),
  GOPATH: join(cache, "path"),
  GOTOOLCHAIN: "local",
  GOFLAGS: "-mod=mod",
  GOPROXY: "off",
  CGO_ENABLED: "0"
}

const exec = (command: string, args: ReadonlyArray<string>, cwd: string): string =>
  execFileSync(command, args, { cwd, env, encoding: "utf8", timeout: 600_000, maxBuffer: 64 * 1024 * 1024 })

/**
 * @since 0.1.0
 * @category rows
 */
export const goRows = (budget: Budget): ReadonlyArray<Row> => {
  if (!existsSync(codegenBin)) throw new Error(`bench: ${codegenBin} is missing; run \`npm run build\` first`)
  const dir = mkdtempSync(join(tmpdir(), "mbauth-gobench-"))
  try {
    mkdirSync(join(dir, "auth"))
    exec(process.execPath, [codegenBin, "generate", "--spec", join(root, "packages/core/spec/mediabrowser.json"), "--out", join(dir, "auth"), "--target", "go"], dir)
    cpSync(path("../go/main.go"), join(dir, "main.go"))
    writeFileSync(join(dir, "go.mod"), "module mbauthbench\n\ngo 1.21\n")
    exec("go", ["build", "-o", "gobench", "."], dir)
    const paired = JSON.parse(
      exec(join(dir, "gobench"), ["-samples", String(budget.samples), "-batch-ms", String(budget.batchMs), "-warmup-ms", String(budget.warmupMs), typicalHeader], dir)
    ) as Paired
    return [
      row({
        id: "13",
        what: "go parse: the generated Go module's compat Parse vs the regexp + url.QueryUnescape one-liner, typical header",
        ours: "Parse (go target)",
        peer: "regexp + url.QueryUnescape",
        unit: "ns",
        direction: "faster",
        target: 1,
        paired
      })
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
