/**
 * The test projects of the workspace. A plain list (not vitest's deprecated `defineWorkspace`),
 * imported by the root `vitest.config.ts` into `test.projects`.
 */
export default ["packages/codegen", "packages/core", "packages/testing", "packages/cli", "packages/consumer", "packages/bench"]
