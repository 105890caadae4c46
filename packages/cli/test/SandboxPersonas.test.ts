import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { parsePersona, personasPlan, sandboxPorts } from "../src/internal/sandbox/personas.js"

describe("mbauth sandbox --persona / --port", () => {
  it("reads a persona with its knobs", () => {
    assert.deepStrictEqual(
      parsePersona("jellyfin-12.0:legacy=on,quick-connect=off"),
      Either.right({ persona: "jellyfin-12.0", legacy: true, quickConnect: false })
    )
    assert.deepStrictEqual(parsePersona("emby-4.9"), Either.right({ persona: "emby-4.9" }))
  })

  it("an unknown persona or knob is a usage error naming the choices", () => {
    const unknown = parsePersona("jellyfin-12")
    assert.isTrue(Either.isLeft(unknown))
    if (Either.isLeft(unknown)) assert.include(unknown.left.hint, "jellyfin-12.0")
    const knob = parsePersona("jellyfin-12.0:legacy=maybe")
    assert.isTrue(Either.isLeft(knob))
    if (Either.isLeft(knob)) assert.include(knob.left.hint, "legacy=on|off")
  })

  it("ports are stable: the personas in the order given from --port, then Connect", () => {
    const plan = Either.getOrThrow(personasPlan(["emby-4.9", "jellyfin-12.0"], 8096))
    assert.deepStrictEqual(plan.personas.map((x) => [x.persona, x.port]), [["emby-4.9", 8096], ["jellyfin-12.0", 8097]])
    assert.strictEqual(plan.connectPort, 8098)
    assert.isTrue(Either.isLeft(personasPlan(["emby-4.9", "emby-4.9"], undefined)))
    assert.deepStrictEqual(sandboxPorts(9000), {
      jellyfin10: 9000,
      jellyfin: 9001,
      jellyfin12: 9002,
      emby: 9003,
      connect: 9004,
      discovery: 9005
    })
  })
})
