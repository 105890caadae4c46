import { defaultServerConditions } from "vite"
import { defineConfig } from "vitest/config"

// Workspace packages export their sources under the "@mbauth/source" condition, so tests run
// against src/ without a build. Vitest's node environment resolves through ssr.resolve, hence both.
const conditions = ["@mbauth/source", ...defaultServerConditions]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@mbauth/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./vitest.setup.ts", import.meta.url).pathname],
    fakeTimers: { toFake: undefined },
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
