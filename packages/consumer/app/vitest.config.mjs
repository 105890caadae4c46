// The @mbauth/testing README's examples are vitest suites: run them as another project would.
export default { test: { include: ["examples/testing/*.ts"], testTimeout: 30_000, hookTimeout: 30_000 } }
