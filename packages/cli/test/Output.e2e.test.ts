// The output guarantees (README, "Output guarantees") where they live: the built executable in a
// child process, its stdout a real pipe read by a consumer that is slow or leaves early.
import { assert, describe, it } from "@effect/vitest"
import { buildOnce } from "./utils/bin.js"
import { runPiped } from "./utils/piped.js"

const header = (i: number) =>
  `MediaBrowser Client="Jellyfin Web", Device="Firefox", DeviceId="device-${i}", Version="10.10.7", Token="0123456789abcdef0123456789abcdef"`
const valid = (count: number) => Array.from({ length: count }, (_, i) => header(i)).join("\n") + "\n"
const explainRequest = (i: number) => JSON.stringify({ headers: { "X-Emby-Token": `token-${i}` } })
const lineCount = (text: string) => text.split("\n").length - 1

buildOnce()

describe("output on a pipe", () => {
  // 3,000 results are far more than a pipe holds: before the fix, process.exit(1) dropped what
  // Node still had queued and the reader got a few hundred lines.
  describe("is complete when a line fails (exit 1), with a reader that starts late", () => {
    const input = valid(3000) + "garbage\n"
    for (
      const args of [
        ["header", "parse", "--stdin", "--json"],
        ["header", "parse", "--stdin"],
        ["header", "lint", "--stdin"],
        ["header", "lint", "--stdin", "--json"]
      ]
    ) {
      it(args.join(" "), async () => {
        const r = await runPiped(args, { input, readAfterMs: 1000 })
        assert.strictEqual(r.status, 1, r.stderr)
        assert.strictEqual(lineCount(r.stdout), 3001)
      })
    }

    it("request explain --stdin", async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => explainRequest(i)).join("\n") + "\nnot json\n"
      const r = await runPiped(["request", "explain", "--stdin", "--json"], { input: lines, readAfterMs: 1000 })
      assert.strictEqual(r.status, 1, r.stderr)
      assert.strictEqual(lineCount(r.stdout), 3001)
    })
  })

  describe("closed by its reader, ends the program quietly with 141 (128 + SIGPIPE)", () => {
    it("header parse --stdin | head -1", async () => {
      const r = await runPiped(["header", "parse", "--stdin"], { input: valid(20_000), closeAfterLines: 1 })
      assert.strictEqual(r.stderr, "")
      assert.strictEqual(r.status, 141)
    })

    it("header parse VALUE | head -0", async () => {
      const r = await runPiped(["header", "parse", header(1)], { closeAfterLines: 0 })
      assert.strictEqual(r.stderr, "")
      assert.strictEqual(r.status, 141)
    })

    it("sandbox --tour --json | head -3", async () => {
      const r = await runPiped(["sandbox", "--tour", "--json"], { closeAfterLines: 3 })
      assert.notMatch(r.stderr, /EPIPE|Error|at /)
      assert.strictEqual(r.status, 141)
    })
  })

  // Each line's values hold characters a terminal acts on, raw in the JSON input or percent-encoded.
  describe("escapes line separators, bidi controls and control characters in every batch line", () => {
    const client = "a\u2028b\u0085c\u202Ed\u001b[31me\u007ff"
    const value = `MediaBrowser Client="${client}", Device="x%E2%80%A8y%C2%85z", Token="0123456789abcdef"`
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/
    const headers = `${JSON.stringify(value)}\n`.repeat(3)
    const requests = `${JSON.stringify({ headers: { Authorization: value } })}\n`.repeat(3)
    const runs: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["header", "parse", "--stdin", "--input", "jsonl", "--json"], headers],
      [["header", "parse", "--stdin", "--input", "jsonl"], headers],
      [["header", "lint", "--stdin", "--input", "jsonl", "--json"], headers],
      [["header", "lint", "--stdin", "--input", "jsonl"], headers],
      [["request", "explain", "--stdin", "--json"], requests],
      [["request", "explain", "--stdin"], requests]
    ]
    for (const [args, input] of runs) {
      it(args.join(" "), async () => {
        const r = await runPiped(args, { input })
        assert.notMatch(r.stdout, unsafe)
        assert.strictEqual(lineCount(r.stdout), 3, r.stdout)
        if (args.includes("--json") && args[0] === "header" && args[1] === "parse") {
          // The same value, only its spelling escaped.
          const compat = JSON.parse(r.stdout.split("\n")[0]!).results.compat
          assert.strictEqual(compat.params.Client, client)
          assert.strictEqual(compat.params.Device, "x\u2028y\u0085z")
        }
      })
    }
  })

  it("into a slow reader, holds no more memory than into /dev/null (backpressure)", async () => {
    // Before the fix, every result was queued in memory while the reader was busy: the peak grew
    // with the input (1M lines: 1.5 GB).
    const input = valid(100_000)
    const args = ["header", "parse", "--stdin", "--json"]
    const fast = await runPiped(args, { input, stdout: "devnull" })
    const slow = await runPiped(args, { input, readAfterMs: 4000 })
    assert.strictEqual(fast.status, 0, fast.stderr)
    assert.strictEqual(fast.stdout, "")
    assert.strictEqual(slow.status, 0, slow.stderr)
    assert.strictEqual(lineCount(slow.stdout), 100_000)
    assert.isAtMost(slow.peakRssKb, fast.peakRssKb * 1.5, `slow ${slow.peakRssKb} kB, fast ${fast.peakRssKb} kB`)
  })
})
