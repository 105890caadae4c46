// `mbauth connect pin` under a real pseudo-terminal (tmux): the PIN and the countdown are drawn,
// and Ctrl-C stops the polling with exit 130 and a cleared spinner line.
import { assert, describe, it } from "@effect/vitest"
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bin, buildOnce } from "./utils/bin.js"
import { startSandbox, stopSandbox } from "./utils/sandboxProcess.js"

buildOnce()

// A tmux server of our own (its own socket), killed at the end.
const socket = `mbauth-cli-test-${process.pid}`
const tmux = (...args: Array<string>) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" })
const screen = () => tmux("capture-pane", "-p", "-t", "pin")

const waitFor = async (predicate: (text: string) => boolean, what: string): Promise<string> => {
  for (let i = 0; i < 200; i++) {
    const text = screen()
    if (predicate(text)) return text
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen()}`)
}

const hasTmux = spawnSync("tmux", ["-V"]).status === 0

describe.runIf(hasTmux)("mbauth connect pin on a terminal", () => {
  it("shows the PIN, a live countdown, and stops on Ctrl-C with exit 130", async () => {
    const sandbox = await startSandbox()
    try {
      const connect = sandbox.services[0]!
      const configDir = mkdtempSync(join(tmpdir(), "mbauth-pty-"))
      const command = `MBAUTH_CONNECT_URL=${connect.apiUrl} MBAUTH_CONFIG_DIR=${configDir} ${process.execPath} ${bin} connect pin --interval 0.2; echo "EXIT=$?"; sleep 30`
      tmux("new-session", "-d", "-s", "pin", "-x", "160", "-y", "10", command)
      const shown = await waitFor((t) => t.includes("left)"), "the countdown")
      // The spinner line is cleared before the note is written, not left in front of it.
      assert.match(shown, /^Enter the PIN \S+ at https:\/\/emby\.media\/pin/m)
      assert.notInclude(shown, "creating a PIN")
      assert.match(shown, /waiting for PIN \S+ to be confirmed \(\d+:\d\d left\)/)
      tmux("send-keys", "-t", "pin", "C-c")
      const after = await waitFor((t) => t.includes("EXIT="), "the exit")
      assert.include(after, "EXIT=130")
      assert.notInclude(after, "left)", "the spinner line is cleared")
    } finally {
      spawnSync("tmux", ["-L", socket, "kill-server"])
      await stopSandbox(sandbox.child)
    }
  }, 30_000)
})
