// Fails the test run when the install drifted off the pinned Effect 3 line: any effect@4, or a
// second copy of effect (two copies break Context tags and Schema identity at run time).
import { readFileSync } from "node:fs"

const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"))
const copies = Object.entries(lock.packages ?? {})
  .filter(([path]) => /(^|\/)node_modules\/effect$/.test(path))
  .map(([path, info]) => `${path}@${info.version}`)
const problems = []
if (copies.length !== 1) problems.push(`expected exactly one copy of effect, found ${copies.length}: ${copies.join(", ")}`)
for (const copy of copies) if (!/@3\./.test(copy)) problems.push(`effect outside the 3.x line: ${copy}`)
const installed = JSON.parse(readFileSync(new URL("../node_modules/effect/package.json", import.meta.url), "utf8"))
if (!installed.version.startsWith("3.")) problems.push(`node_modules/effect is ${installed.version}, not 3.x`)
if (problems.length > 0) {
  console.error("check-versions: " + problems.join("\n  "))
  process.exit(1)
}
console.log(`check-versions: one copy of effect ${installed.version}`)
