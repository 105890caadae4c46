/**
 * The browser build from the installed tarballs: every client-side module of @mbauth/core bundles
 * for `platform=browser` without Node built-ins, and a page (fetch, localStorage) signs in to the
 * sandbox's Jellyfin 12 in Debian's Chromium, cross-origin, reads /Users/Me and signs out.
 */
import { afterAll, assert, beforeAll, describe, inject, it } from "vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { type Browser, chromium } from "playwright-core"
import { explain, run } from "./run.js"

const { app } = inject("installed")
const esbuild = join(app, "node_modules", ".bin", "esbuild")

const clientModules = [
  "",
  "/AuthorizationHeader",
  "/ClientInfo",
  "/DeviceId",
  "/Credentials",
  "/RequestSigning",
  "/EmbyConnect",
  "/MediaServer",
  "/ConnectionManager",
  "/CredentialStore",
  "/ServerDiscovery"
]

describe("@mbauth/core for browsers", () => {
  it("bundles the root import and every client-side module with platform=browser and no Node built-in", async () => {
    const sizes: Array<string> = []
    for (const module of clientModules) {
      const entry = join(app, "entry.js")
      writeFileSync(entry, `export * from "@mbauth/core${module}"\n`)
      const ran = await run(esbuild, [entry, "--bundle", "--platform=browser", "--format=esm", "--minify", "--metafile=meta.json", "--outfile=entry.out.js", "--log-level=error"], { cwd: app })
      assert.strictEqual(ran.status, 0, `@mbauth/core${module}: ${explain(ran)}`)
      const inputs = Object.keys(JSON.parse(readFileSync(join(app, "meta.json"), "utf8")).inputs as Record<string, unknown>)
      assert.deepStrictEqual(inputs.filter((input) => input.startsWith("node:") || input.includes("(disabled)")), [], module)
      sizes.push(`@mbauth/core${module}: ${(gzipSync(readFileSync(join(app, "entry.out.js"))).length / 1024).toFixed(1)} kB gzipped`)
    }
    console.log(sizes.join("\n"))
  })
})

describe("a page in Chromium", () => {
  let sandbox: ChildProcess
  let jellyfin12: string
  let password: string
  let site: Server
  let siteUrl: string
  let browser: Browser

  beforeAll(async () => {
    const built = await run(esbuild, ["page.ts", "--bundle", "--platform=browser", "--format=esm", "--minify", "--outfile=site/page.js", "--log-level=error"], { cwd: app })
    assert.strictEqual(built.status, 0, explain(built))
    writeFileSync(join(app, "site", "index.html"), "<!doctype html><meta charset=utf-8><title>mbauth</title><script type=module src=page.js></script>\n")
    console.log(`page.js: ${(gzipSync(readFileSync(join(app, "site", "page.js"))).length / 1024).toFixed(1)} kB gzipped`)

    // The sandbox from the installed @mbauth/testing, in its own node process (no bundler).
    const transpiled = await run(esbuild, ["sandbox.ts", "--format=esm", "--platform=node", "--outfile=sandbox.js", "--log-level=error"], { cwd: app })
    assert.strictEqual(transpiled.status, 0, explain(transpiled))
    sandbox = spawn(process.execPath, ["sandbox.js"], { cwd: app, stdio: ["pipe", "pipe", "inherit"] })
    const services = await new Promise<ReadonlyArray<{ profile?: string; url: string; users: ReadonlyArray<{ name: string; password: string }> }>>(
      (resolve, reject) => {
        let out = ""
        sandbox.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk
          if (out.includes("\n")) resolve(JSON.parse(out.slice(0, out.indexOf("\n"))))
        })
        sandbox.on("exit", (code) => reject(new Error(`the sandbox exited (${code})`)))
      }
    )
    const jellyfin = services.find((service) => service.profile === "jellyfin-12")!
    jellyfin12 = jellyfin.url
    password = jellyfin.users.find((user) => user.name === "alice")!.password

    // The page's own origin: another port than the server's, so every call is cross-origin.
    site = createServer((request, response) => {
      const file = request.url?.startsWith("/page.js") ? "page.js" : "index.html"
      response.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/html" })
      response.end(readFileSync(join(app, "site", file)))
    })
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve))
    const address = site.address()
    siteUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`

    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
    })
  })

  afterAll(async () => {
    await browser?.close()
    site?.close()
    sandbox?.stdin?.end()
    sandbox?.kill()
  })

  const visit = async (context: Awaited<ReturnType<Browser["newContext"]>>) => {
    const page = await context.newPage()
    const errors: Array<string> = []
    page.on("pageerror", (error) => errors.push(String(error)))
    await page.goto(`${siteUrl}/?server=${encodeURIComponent(jellyfin12)}&password=${encodeURIComponent(password)}`)
    await page.waitForFunction(() => "mbauthResult" in window, undefined, { timeout: 60_000 })
    const outcome = await page.evaluate(() => (window as unknown as { mbauthResult: unknown }).mbauthResult) as {
      ok: boolean
      error?: string
      result: {
        deviceId: string
        sessionDeviceId: string | undefined
        user: string
        signedOut: boolean
        discovery: string
        storage: Record<string, string>
      }
    }
    await page.close()
    assert.deepStrictEqual(errors, [])
    assert.isTrue(outcome.ok, outcome.error)
    return outcome.result
  }

  it("signs in to Jellyfin 12 with fetch, reads /Users/Me, signs out, and keeps its DeviceId in localStorage", async () => {
    const context = await browser.newContext()
    const first = await visit(context)
    assert.strictEqual(first.user, "alice")
    assert.strictEqual(first.sessionDeviceId, first.deviceId)
    assert.isTrue(first.signedOut, "the token still worked after sign-out")
    assert.strictEqual(first.discovery, "Unsupported")
    // The install id behind the DeviceId is in localStorage, so the next visit signs in as the same device.
    assert.isAbove(Object.keys(first.storage).length, 0)
    const second = await visit(context)
    assert.strictEqual(second.deviceId, first.deviceId)
    assert.deepStrictEqual(second.storage, first.storage)
    // A browser profile without that storage is another device.
    const other = await visit(await browser.newContext())
    assert.notStrictEqual(other.deviceId, first.deviceId)
  })
})
