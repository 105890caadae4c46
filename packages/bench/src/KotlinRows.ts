/**
 * Row 14: the generated Kotlin module's compat parse of the typical header against the Regex +
 * URLDecoder one-liner a Kotlin client writes today, both timed in one JVM by `kotlin/Bench.kt`
 * (System.nanoTime, a warm-up, paired samples in interleaved slices).
 *
 * The module comes from the codegen CLI (`--target kotlin`, built by `npm run build`); the program
 * is compiled by Maven into `.cache/kotlin-bench/<hash of its sources>/`, with Maven's repository
 * in `.cache/m2`, so a second run reuses the classes.
 *
 * @since 0.1.0
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Budget, type Row, row } from "./Harness.js"
import { typicalHeader } from "./Inputs.js"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const sources = join(root, "packages/bench/kotlin")
const repository = join(root, ".cache/m2")
const codegen = join(root, "packages/codegen/dist/bin.js")

const fail = (what: string, result: ReturnType<typeof spawnSync>): never => {
  throw new Error(`bench: ${what} exited ${result.status ?? result.signal}: ${String(result.stdout).slice(-2000)}${String(result.stderr).slice(-2000)}`)
}

const mvn = (dir: string, offline: boolean) =>
  spawnSync("mvn", ["-B", "-q", ...(offline ? ["-o"] : []), `-Dmaven.repo.local=${repository}`, "compile"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 10 * 60_000
  })

// The compiled program's directory: the generated module and Bench.kt, built once per content.
const compiled = (): string => {
  if (!existsSync(codegen)) throw new Error(`bench: ${codegen} is missing; run \`npm run build\` first`)
  const generated = mkdtempSync(join(tmpdir(), "mbauth-kotlin-bench-"))
  try {
    const spec = join(root, "packages/core/spec/mediabrowser.json")
    const gen = spawnSync(process.execPath, [codegen, "generate", "--spec", spec, "--out", generated, "--target", "kotlin"], { encoding: "utf8" })
    if (gen.status !== 0) fail("mbauth-codegen generate --target kotlin", gen)
    const files = [join(sources, "pom.xml"), join(sources, "Bench.kt"), ...readdirSync(generated).sort().map((f) => join(generated, f))]
    const hash = createHash("sha256")
    for (const file of files) hash.update(readFileSync(file))
    const dir = join(root, ".cache/kotlin-bench", hash.digest("hex").slice(0, 16))
    if (existsSync(join(dir, "target/classes/bench/BenchKt.class"))) return dir
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(join(dir, "src/bench"), { recursive: true })
    cpSync(join(sources, "pom.xml"), join(dir, "pom.xml"))
    cpSync(join(sources, "Bench.kt"), join(dir, "src/bench/Bench.kt"))
    cpSync(generated, join(dir, "src/mediabrowserauthorization"), { recursive: true })
    // Offline when the repository has what the build needs; online on the first run.
    let build = existsSync(join(repository, "org/jetbrains/kotlin/kotlin-maven-plugin")) ? mvn(dir, true) : undefined
    if (build?.status !== 0) build = mvn(dir, false)
    if (build.status !== 0) fail("mvn compile", build)
    return dir
  } finally {
    rmSync(generated, { recursive: true, force: true })
  }
}

const kotlinVersion = (): string => /<kotlin\.version>([^<]+)</.exec(readFileSync(join(sources, "pom.xml"), "utf8"))![1]!

/**
 * @since 0.1.0
 * @category rows
 */
export const kotlinRows = (budget: Budget): ReadonlyArray<Row> => {
  const dir = compiled()
  const version = kotlinVersion()
  const stdlib = join(repository, `org/jetbrains/kotlin/kotlin-stdlib/${version}/kotlin-stdlib-${version}.jar`)
  // The JIT's top tier compiles hot code after thousands of calls: the JVM gets a longer warm-up.
  const warmupMs = budget.warmupMs === 0 ? 0 : Math.max(2000, budget.warmupMs)
  const run = spawnSync(
    "java",
    ["-cp", `${join(dir, "target/classes")}:${stdlib}`, "bench.BenchKt", typicalHeader, String(budget.samples), String(warmupMs), String(budget.batchMs)],
    { encoding: "utf8", timeout: 10 * 60_000 }
  )
  if (run.status !== 0) fail("java bench.BenchKt", run)
  const paired = JSON.parse(run.stdout) as { readonly ours: ReadonlyArray<number>; readonly peer: ReadonlyArray<number> }
  return [
    row({
      id: "14",
      what: "Kotlin (JVM): generated compat parse vs Regex + URLDecoder of the typical header",
      ours: "generated parse (compat)",
      peer: "Regex + URLDecoder",
      unit: "ns",
      direction: "faster",
      target: 1,
      paired: { ours: paired.ours, peer: paired.peer }
    })
  ]
}
