/**
 * The test projects of the workspace. A plain list (not vitest's deprecated `defineWorkspace`),
 * imported by the root `vitest.config.ts` into `test.projects`. packages/consumer is not here: it
 * packs the packages (rebuilding them) and installs the tarballs, so `npm test` runs it on its own
 * after these (`npm run consumer`).
 */
export default ["packages/runtime", "packages/codegen", "packages/core", "packages/testing", "packages/cli", "packages/bench"]
