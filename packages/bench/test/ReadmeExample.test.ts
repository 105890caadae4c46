// The "Adding a row" example of README.md, compiled and run once.
import { assert, it } from "@effect/vitest"
import * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import { type Budget, pairSync, type Row, row, smoke } from "../src/Harness.js"
import { typicalHeader } from "../src/Inputs.js"

export const exampleRows = (budget: Budget): ReadonlyArray<Row> => [
  row({
    id: "9",
    what: "strict parse vs compat parse of the typical header",
    ours: "parse strict",
    peer: "parse compat",
    unit: "ns",
    direction: "cost", // ours ÷ peer, must be ≤ target ("faster": peer ÷ ours, must be ≥ target)
    target: 1.5,
    paired: pairSync(
      () => Generated.parse(typicalHeader, { mode: "strict" }),
      () => Generated.parse(typicalHeader, { mode: "compat" }),
      budget
    )
  })
]

it("the README example yields a row with numbers", () => {
  const [r] = exampleRows(smoke)
  assert.isDefined(r)
  assert.isTrue(r!.ratio.median > 0 && Number.isFinite(r!.ratio.median))
})
