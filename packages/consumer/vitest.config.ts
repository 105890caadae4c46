import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "consumer",
      globalSetup: ["./test/setup.ts"],
      // Each test runs installed programs (tsc over the whole app, the CLI's tour, Chromium).
      testTimeout: 180_000,
      hookTimeout: 180_000
    }
  })
)
