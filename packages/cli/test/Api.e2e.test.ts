// `mbauth api SERVER PATH`, as a user meets it: the built executable (stdout a pipe) and the
// program in-process (stdout a terminal) against a small server on 127.0.0.1 that records what it
// receives (test/utils/tinyServer.ts).
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { bin, buildOnce } from "./utils/bin.js"
import { run } from "./utils/cli.js"
import { signedIn, tinyServers } from "./utils/session.js"
import { TOKEN } from "./utils/tinyServer.js"

buildOnce()

const start = tinyServers()

describe("mbauth api", () => {
  it("prints a JSON body on one line when piped, laid out on a terminal", async () => {
    const server = await start()
    const { cli, configDir } = await signedIn(server)
    const piped = await cli(["api", "Tiny Jellyfin", "/Users/Me"])
    assert.strictEqual(piped.status, 0, piped.stderr)
    assert.strictEqual(piped.stdout, `{"Id":"11111111111111111111111111111111","Name":"bob","ServerId":"0123456789abcdef0123456789abcdef"}\n`)
    const terminal = await Effect.runPromise(
      run(["api", "Tiny Jellyfin", "/Users/Me"], { env: { MBAUTH_CONFIG_DIR: configDir }, isTTY: { stdout: true } })
    )
    assert.strictEqual(terminal.exitCode, 0, terminal.stderr)
    assert.strictEqual(terminal.stdout, `{\n  "Id": "11111111111111111111111111111111",\n  "Name": "bob",\n  "ServerId": "0123456789abcdef0123456789abcdef"\n}\n`)
    // Signed for the saved user.
    const sent = server.received.at(-1)!
    assert.include(sent.headers["authorization"], `Token="${TOKEN}"`)
  })

  it("sends -X, -f (a JSON body, or the query of a GET) and --input", async () => {
    const server = await start()
    const { cli, configDir } = await signedIn(server)
    const post = await cli(["api", "Tiny Jellyfin", "/Items/1", "-f", "Name=a=b", "-f", "Year=2001"])
    assert.strictEqual(post.status, 0, post.stderr)
    let sent = server.received.at(-1)!
    assert.strictEqual(sent.method, "POST")
    assert.strictEqual(sent.headers["content-type"], "application/json")
    assert.deepStrictEqual(JSON.parse(sent.body), { Name: "a=b", Year: "2001" })
    const get = await cli(["api", "Tiny Jellyfin", "/Items?Limit=5", "-X", "GET", "-f", "SortBy=Name"])
    assert.strictEqual(get.status, 0, get.stderr)
    sent = server.received.at(-1)!
    assert.strictEqual(sent.method, "GET")
    assert.strictEqual(sent.url, "/Items?Limit=5&SortBy=Name")
    const file = join(configDir, "body.json")
    writeFileSync(file, `{"Played":true}`)
    const put = await cli(["api", "Tiny Jellyfin", "/Items/1", "-X", "PUT", "--input", file])
    assert.strictEqual(put.status, 0, put.stderr)
    sent = server.received.at(-1)!
    assert.strictEqual(sent.method, "PUT")
    assert.strictEqual(sent.body, `{"Played":true}`)
    assert.strictEqual(sent.headers["content-type"], "application/json")
    const stdin = await cli(["api", "Tiny Jellyfin", "/Items/1", "--input", "-"], { input: "plain words" })
    assert.strictEqual(stdin.status, 0, stdin.stderr)
    sent = server.received.at(-1)!
    assert.strictEqual(sent.method, "POST")
    assert.strictEqual(sent.body, "plain words")
    assert.strictEqual(sent.headers["content-type"], "application/octet-stream")
    const both = await cli(["api", "Tiny Jellyfin", "/Items/1", "-f", "a=b", "--input", file])
    assert.strictEqual(both.status, 2)
    assert.include(both.stderr, "-f and --input both give the request a body")
    const notField = await cli(["api", "Tiny Jellyfin", "/Items/1", "-f", "novalue"])
    assert.strictEqual(notField.status, 2)
    assert.include(notField.stderr, `-f "novalue" is not KEY=VALUE`)
  })

  it("an answer that is not 2xx: its body on stdout, the error on stderr, exit 1", async () => {
    const server = await start({
      answer: (r) => r.url.startsWith("/Missing") ? { status: 404, body: { Message: "no such item" } } : undefined
    })
    const { cli } = await signedIn(server)
    const missing = await cli(["api", "Tiny Jellyfin", "/Missing", "-X", "DELETE"])
    assert.strictEqual(missing.status, 1)
    assert.strictEqual(missing.stdout, `{"Message":"no such item"}\n`)
    assert.include(missing.stderr, "error: DELETE /Missing answered 404")
  })

  it("a binary body is refused without -o, and written byte for byte with -o", async () => {
    const image = "\u0089PNG\r\n\u001a\n\u0000\u0001binary"
    const server = await start({
      answer: (r) => r.url.startsWith("/Items/1/Images") ? { body: image, headers: { "content-type": "image/png" } } : undefined
    })
    const { cli, configDir } = await signedIn(server)
    const refused = await cli(["api", "Tiny Jellyfin", "/Items/1/Images/Primary"])
    assert.strictEqual(refused.status, 1)
    assert.strictEqual(refused.stdout, "")
    assert.include(refused.stderr, "the body is binary (image/png, 17 bytes): not printed")
    assert.include(refused.stderr, "-o FILE")
    const file = join(configDir, "primary.png")
    writeFileSync(file, "an older file")
    const saved = await cli(["api", "Tiny Jellyfin", "/Items/1/Images/Primary", "-o", file])
    assert.strictEqual(saved.status, 0, saved.stderr)
    assert.deepStrictEqual(readFileSync(file), Buffer.from(image, "utf8"))
    assert.include(saved.stderr, `wrote 17 bytes to ${file}`)
    // Written beside it and renamed: no temporary file is left.
    assert.deepStrictEqual(readdirSync(configDir).filter((f) => f.includes("primary")), ["primary.png"])
    const nowhere = await cli(["api", "Tiny Jellyfin", "/Items/1/Images/Primary", "-o", join(configDir, "no", "such", "dir.png")])
    assert.strictEqual(nowhere.status, 1)
    assert.include(nowhere.stderr, "cannot write")
    assert.isFalse(existsSync(join(configDir, "no")))
  })

  it("-i prints the status line and the headers, secrets masked", async () => {
    const server = await start({
      answer: (r) =>
        r.url.startsWith("/Echo")
          ? { body: { ok: true }, headers: { "x-emby-token": TOKEN, "x-debug": `token was ${TOKEN}`, "x-plain": "visible" } }
          : undefined
    })
    const { cli } = await signedIn(server)
    const shown = await cli(["api", "Tiny Jellyfin", "/Echo", "-i"])
    assert.strictEqual(shown.status, 0, shown.stderr)
    assert.match(shown.stdout, /^HTTP 200 OK\n/)
    assert.include(shown.stdout, "x-plain: visible\n")
    assert.include(shown.stdout, "x-emby-token: ")
    assert.include(shown.stdout, "x-debug: token was ")
    assert.notInclude(shown.stdout, TOKEN)
    assert.match(shown.stdout, /\n\n\{"ok":true\}\n$/)
    const json = await cli(["api", "Tiny Jellyfin", "/Echo", "-i", "--json"])
    assert.strictEqual(json.status, 0, json.stderr)
    const [head, body] = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))
    assert.strictEqual(head.status, 200)
    assert.strictEqual(head.headers["x-plain"], "visible")
    assert.notInclude(json.stdout, TOKEN)
    assert.deepStrictEqual(body, { ok: true })
  })

  it("PATH stays on the saved server: absolute, scheme-relative and backslash forms are refused before anything is sent", async () => {
    const server = await start()
    const { cli } = await signedIn(server)
    const before = server.received.length
    for (const path of ["http://evil.example/x", "//evil.example/x", "\\\\evil.example\\x"]) {
      const r = await cli(["api", "Tiny Jellyfin", path])
      assert.strictEqual(r.status, 2, `${path}: ${r.stderr}`)
      assert.include(r.stderr, "PATH must be a path on the saved server")
    }
    // The server is reached (to check it is still the saved one), but no request goes to PATH.
    assert.isTrue(server.received.slice(before).every((r) => r.url.toLowerCase().startsWith("/system/info/public")))
  })

  it("Ctrl-C while the server has not answered ends the request at once: exit 130", async () => {
    const server = await start({ answer: (r) => r.url.startsWith("/Slow") ? { hang: true } : undefined })
    const { configDir } = await signedIn(server)
    const child = spawn(process.execPath, [bin, "api", "Tiny Jellyfin", "/Slow"], {
      env: { PATH: process.env.PATH ?? "", MBAUTH_CONFIG_DIR: configDir }
    })
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    while (!server.received.some((r) => r.url === "/Slow")) await new Promise((resolve) => setTimeout(resolve, 20))
    const interrupted = Date.now()
    child.kill("SIGINT")
    assert.strictEqual(await exited, 130)
    assert.isBelow(Date.now() - interrupted, 5_000)
  })
})
