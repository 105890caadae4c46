/**
 * Packs every publishable workspace package and installs the tarballs, once for the whole run, the
 * way a user gets them: into an app in a temporary folder outside the workspace (its own
 * package.json; every other dependency from the registry), and the CLI alone into an empty folder.
 */
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"

export interface Tarball {
  readonly name: string
  readonly file: string
  /** Bytes of the .tgz. */
  readonly size: number
  readonly unpackedSize: number
  readonly files: ReadonlyArray<string>
}

export interface Installed {
  readonly root: string
  /** The app: every tarball plus the registry packages it needs. */
  readonly app: string
  /** An empty folder with only the CLI tarball installed. */
  readonly cliOnly: string
  readonly tarballs: ReadonlyArray<Tarball>
  readonly timings: Readonly<Record<string, number>>
}

declare module "vitest" {
  export interface ProvidedContext {
    installed: Installed
  }
}

const workspace = fileURLToPath(new URL("../../../", import.meta.url))
const appTemplate = fileURLToPath(new URL("../app/", import.meta.url))

const readJson = (file: string): any => JSON.parse(readFileSync(file, "utf8"))

const npm = (args: ReadonlyArray<string>, cwd: string): string =>
  execFileSync("npm", [...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } })

/** The workspace packages that are not private, read from the root package.json's workspaces. */
export const publishable = (): ReadonlyArray<{ readonly name: string; readonly dir: string; readonly library: boolean }> =>
  (readJson(join(workspace, "package.json")).workspaces as ReadonlyArray<string>)
    .map((dir) => ({ dir, manifest: readJson(join(workspace, dir, "package.json")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name as string, dir, library: manifest.exports !== undefined }))

// The registry packages the app needs, at the versions the workspace itself pins.
const registryDependencies = (): Record<string, string> => {
  const pinned = readJson(join(workspace, "package.json")).devDependencies as Record<string, string>
  const names = ["effect", "@effect/platform", "@effect/platform-node", "typescript", "@types/node", "esbuild", "vitest", "@effect/vitest"]
  return Object.fromEntries(names.map((name) => [name, pinned[name]!]))
}

/**
 * The ```ts blocks of each publishable package's README.md and docs/*.md, as modules under
 * examples/<package folder>/: a block with imports starts a new module
 * (`README-1.ts`, `README-2.ts`, …); a block without imports continues the module before it, as a
 * document's later snippets use the imports of its first block.
 */
const writeExamples = (app: string, packages: ReadonlyArray<{ readonly dir: string; readonly library: boolean }>): void => {
  // A program's README (the CLI's) shows its own sources, not code a user writes.
  for (const { dir } of packages.filter((p) => p.library)) {
    const documents = ["README.md", ...listDocs(join(workspace, dir, "docs"))]
    for (const document of documents) {
      const text = readFileSync(join(workspace, dir, document), "utf8")
      const modules: Array<string> = []
      for (const [, block] of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
        if (modules.length === 0 || /^import /m.test(block!)) modules.push(block!)
        else modules[modules.length - 1] += `\n${block}`
      }
      const base = basename(dir)
      mkdirSync(join(app, "examples", base), { recursive: true })
      modules.forEach((code, i) =>
        writeFileSync(join(app, "examples", base, `${document.replace(/\.md$/, "").replace("/", "-")}-${i + 1}.ts`), code)
      )
    }
  }
}

const listDocs = (dir: string): ReadonlyArray<string> =>
  existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`) : []

export default function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), "mbauth-consumer-"))
  const timings: Record<string, number> = {}
  const timed = <A>(label: string, f: () => A): A => {
    const start = performance.now()
    const result = f()
    timings[label] = Math.round(performance.now() - start)
    return result
  }

  const packages = publishable()
  const tarballDir = join(root, "tarballs")
  mkdirSync(tarballDir)
  const packed = timed("npm pack (with prepack builds)", () =>
    JSON.parse(npm(["pack", "--json", "--pack-destination", tarballDir, ...packages.flatMap((p) => ["--workspace", p.name])], workspace))) as ReadonlyArray<
      { name: string; filename: string; size: number; unpackedSize: number; files: ReadonlyArray<{ path: string }> }
    >
  const tarballs: Array<Tarball> = packed.map((p) => ({
    name: p.name,
    file: join(tarballDir, p.filename),
    size: p.size,
    unpackedSize: p.unpackedSize,
    files: p.files.map((f) => f.path)
  }))

  const app = join(root, "app")
  cpSync(appTemplate, app, { recursive: true })
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify(
      {
        name: "mbauth-consumer-app",
        private: true,
        type: "module",
        dependencies: {
          ...Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`])),
          ...registryDependencies()
        },
        // The same policy as the workspace's: these install scripts are not needed (README, "Set up").
        allowScripts: { esbuild: false, "msgpackr-extract": false, "@parcel/watcher": false }
      },
      null,
      2
    )
  )
  writeExamples(app, packages)
  const installFlags = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"]
  timed("npm install (app)", () => npm(installFlags, app))

  const cliOnly = join(root, "cli-only")
  mkdirSync(cliOnly)
  writeFileSync(join(cliOnly, "package.json"), JSON.stringify({ name: "cli-only", private: true }))
  const cli = tarballs.find((t) => t.name === "@mbauth/cli")
  if (cli === undefined) throw new Error("no @mbauth/cli tarball was packed")
  timed("npm install (CLI alone)", () => npm([...installFlags, cli.file], cliOnly))

  project.provide("installed", { root, app, cliOnly, tarballs, timings })
  return () => rmSync(root, { recursive: true, force: true })
}
