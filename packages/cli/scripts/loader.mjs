#!/usr/bin/env node
// The `mbauth` executable. It runs the CommonJS bundle next to it through V8's code cache, so a
// start does not recompile the bundle (see scripts/build.mjs for why). When the cache is missing
// or was made by another V8 (V8 checks and rejects it), it is rewritten on exit; if that fails (a
// read-only install) the CLI simply compiles as usual.
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { constants, Script } from "node:vm"

const bundle = fileURLToPath(new URL("./mbauth.cjs", import.meta.url))
const cacheFile = `${bundle}.cache`
let cachedData
try {
  cachedData = readFileSync(cacheFile)
} catch {
  cachedData = undefined
}
// The CommonJS module wrapper, as Node writes it.
const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, "utf8")}\n});`
const script = new Script(source, {
  filename: bundle,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
})
if (cachedData === undefined || script.cachedDataRejected) {
  // On exit the cache also holds the functions this run compiled lazily, not just the top level.
  process.once("exit", () => {
    try {
      const temporary = `${cacheFile}.${process.pid}`
      writeFileSync(temporary, script.createCachedData())
      renameSync(temporary, cacheFile)
    } catch {
      // Not writable: start-up stays correct, only slower.
    }
  })
}
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle))
