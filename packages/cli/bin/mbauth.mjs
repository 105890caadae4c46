#!/usr/bin/env node
// `mbauth` as npm installs it. This file is committed, not built, so that npm can link it when it
// installs the workspace: npm links bins before `prepare` builds dist/, and skips a bin whose file
// does not exist yet, which is why `npx mbauth` used to fail in a fresh clone. It runs the built
// executable, or says how to build it.
const { existsSync } = process.getBuiltinModule("node:fs")
const { fileURLToPath } = process.getBuiltinModule("node:url")

const executable = new URL("../dist/bin.mjs", import.meta.url)
if (existsSync(executable)) {
  await import(executable.href)
} else {
  process.stderr.write(
    `mbauth is not built: ${fileURLToPath(executable)} is missing.\n` +
      "Build it with `npm run build --workspace @mbauth/cli` (npm install does it, unless scripts are off).\n"
  )
  process.exitCode = 1
}
