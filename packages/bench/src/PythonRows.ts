/**
 * Row 12: the python target's compat parse against the regex + `urllib.parse.unquote` one-liner a
 * Python client writes today, both timed in Python (`perf_counter_ns`) on the typical header, in
 * paired samples (python/parse_bench.py). The generated package comes from the built generator.
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Budget, type Row, row } from "./Harness.js"
import { typicalHeader } from "./Inputs.js"

const packages = fileURLToPath(new URL("../../", import.meta.url))

/**
 * @since 0.1.0
 * @category rows
 */
export const pythonParseRows = (budget: Budget): ReadonlyArray<Row> => {
  const generator = join(packages, "codegen/dist/bin.js")
  if (!existsSync(generator)) throw new Error(`bench: ${generator} is missing; run \`npm run build\` first`)
  const dir = mkdtempSync(join(tmpdir(), "mbauth-bench-python-"))
  try {
    const spec = join(packages, "core/spec/mediabrowser.json")
    execFileSync(process.execPath, [generator, "generate", "--spec", spec, "--out", dir, "--target", "python"], { stdio: "ignore" })
    const script = join(packages, "bench/python/parse_bench.py")
    const samples = Math.max(1, budget.samples)
    const output = execFileSync("python3", [script, typicalHeader, String(samples), String(Math.max(1, budget.batchMs))], {
      encoding: "utf8",
      env: { ...process.env, PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: "1" },
      timeout: 10 * 60 * 1000
    })
    const paired = JSON.parse(output) as { ours: Array<number>; peer: Array<number> }
    return [
      row({
        id: "12",
        what: "Python: compat parse of the typical header (generated package) vs re.findall + urllib.parse.unquote",
        ours: "media_browser_authorization.parse",
        peer: "{k: unquote(v) for k, v in re.findall(...)}",
        unit: "ns",
        direction: "faster",
        target: 1,
        paired: { ours: paired.ours, peer: paired.peer }
      })
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
