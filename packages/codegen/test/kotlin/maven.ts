// The Maven project the Kotlin tests build, and the one `mvn` run over it. Generated modules go to
// src/main/kotlin/<package>/ (module and runtime copy), the checks (this folder's src/test/kotlin)
// next to one adapter per spec (SpecAdapter.kt.template), and the files of cases to inputs/.
// Maven's repository is the repo's ignored .cache/m2: downloaded from Maven Central on the first
// run, offline afterwards.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import * as Generate from "../../src/Generate.js"
import { packageName } from "../../src/internal/emitKotlin.js"
import * as Ir from "../../src/Ir.js"
import * as Load from "../../src/Load.js"

const here = (p: string) => new URL(p, import.meta.url).pathname

/** Maven's local repository: the repo's ignored .cache folder. */
export const mavenRepository = here("../../../../.cache/m2")

/** The Kotlin files generated for a spec file, with its IR (for the package name and the module's name). */
export const generateKotlin = (specFile: string, targets: ReadonlyArray<"kotlin" | "vectors"> = ["kotlin", "vectors"]) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const { source, spec } = yield* Load.load(specFile)
      const ir = Ir.fromSpec(yield* Load.decode(spec, source), source)
      const files = yield* Generate.generate(spec, { source, targets })
      return { ir, files }
    }).pipe(Effect.provide(NodeContext.layer))
  )

export const write = (file: string, content: string): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content)
}

/**
 * Lays out the Maven project in `dir`: the pom, the checks, and for each spec its module and
 * runtime copy, its adapter and its vectors (`inputs/<Name>.vectors.json`). Returns the specs'
 * module names, in order.
 */
export const layOut = async (dir: string, specFiles: ReadonlyArray<string>): Promise<ReadonlyArray<string>> => {
  cpSync(here("pom.xml"), join(dir, "pom.xml"))
  cpSync(here("src"), join(dir, "src"), { recursive: true })
  const template = readFileSync(here("SpecAdapter.kt.template"), "utf8")
  const names: Array<string> = []
  const adapters: Array<string> = []
  for (const specFile of specFiles) {
    const { files, ir } = await generateKotlin(specFile)
    const pkg = packageName(ir)
    for (const file of files) {
      if (file.target === "vectors") write(join(dir, "inputs", `${ir.name}.vectors.json`), file.content)
      else write(join(dir, "src/main/kotlin", pkg, file.path), file.content)
    }
    write(
      join(dir, "src/test/kotlin/checks", pkg, "Adapter.kt"),
      template.replaceAll("__PACKAGE__", pkg).replaceAll("__NAME__", ir.name)
    )
    names.push(ir.name)
    adapters.push(`checks.${pkg}.Adapter`)
  }
  write(
    join(dir, "src/test/kotlin/checks/Specs.kt"),
    `package checks\n\n/** The modules under test. */\nval SPECS: List<SpecUnderTest> = listOf(${adapters.join(", ")})\n`
  )
  return names
}

/** Writes a file of cases for a spec: `inputs/<Name>.<kind>.json`. */
export const writeInput = (dir: string, name: string, kind: "corpus" | "interop", cases: unknown): void =>
  write(join(dir, "inputs", `${name}.${kind}.json`), JSON.stringify(cases) + "\n")

export interface MavenRun {
  readonly code: number | null
  readonly output: string
  readonly seconds: number
  readonly offline: boolean
}

const run = (dir: string, args: ReadonlyArray<string>, timeoutMs: number): Promise<Omit<MavenRun, "offline">> =>
  new Promise((resolve) => {
    const started = Date.now()
    const child = spawn("mvn", ["-B", "-q", `-Dmaven.repo.local=${mavenRepository}`, ...args], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.on("error", (error) => (output += `${error.message} (is Maven installed?)\n`))
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output, seconds: (Date.now() - started) / 1000 })
    })
  })

/**
 * Runs `mvn -B -q <goals>` in `dir`: offline when the repository already holds the plugins (a
 * second run needs nothing new), online on the first run or when offline lacks something.
 */
export const mvn = async (dir: string, goals: ReadonlyArray<string>, timeoutMs: number): Promise<MavenRun> => {
  if (existsSync(join(mavenRepository, "org/jetbrains/kotlin/kotlin-maven-plugin"))) {
    const offline = await run(dir, ["-o", ...goals], timeoutMs)
    if (offline.code === 0 || !/offline|has not been downloaded|Cannot access .* in offline mode/i.test(offline.output)) {
      return { ...offline, offline: true }
    }
  }
  return { ...(await run(dir, goals, timeoutMs)), offline: false }
}

/**
 * The Kotlin compile daemons running over this repository's Maven repository (their class path
 * is in it), by process id, read from /proc (none where there is no /proc). The poms run the
 * compiler inside Maven's JVM, so a run must leave none behind: a daemon holds 1–2 GB for hours.
 */
export const kotlinDaemons = (): ReadonlySet<number> => {
  const pids = new Set<number>()
  const entries = existsSync("/proc") ? readdirSync("/proc").filter((name) => /^[0-9]+$/.test(name)) : []
  for (const pid of entries) {
    let command = ""
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8")
    } catch {
      continue // ended meanwhile
    }
    if (command.includes("org.jetbrains.kotlin.daemon.KotlinCompileDaemon") && command.includes(mavenRepository)) pids.add(Number(pid))
  }
  return pids
}
