/**
 * `--persona NAME[:knob=value,…]` and `--port N` of `mbauth sandbox`: which servers run, with which
 * knobs, on which ports. Ports follow the printed order so that other projects' CI can rely on them.
 *
 * @internal
 */
import {
  isSandboxPersonaName,
  SANDBOX_PERSONAS,
  type SandboxPersonaName,
  type SandboxPersonaOptions,
  type SandboxPorts
} from "@mbauth/testing"
import * as Either from "effect/Either"
import * as CliError from "../../CliError.js"

const KNOBS = ["legacy", "quick-connect"] as const

const onOff = (value: string): boolean | undefined => value === "on" ? true : value === "off" ? false : undefined

/** Parses one `--persona` value. */
export const parsePersona = (spec: string): Either.Either<SandboxPersonaOptions, CliError.UsageError> => {
  const [name = "", knobs = ""] = spec.split(/:(.*)/s)
  if (!isSandboxPersonaName(name)) {
    return Either.left(
      new CliError.UsageError({ message: `unknown persona "${name}"`, hint: `Choose one of ${SANDBOX_PERSONAS.join(", ")}.` })
    )
  }
  let options: { -readonly [K in keyof SandboxPersonaOptions]: SandboxPersonaOptions[K] } = { persona: name }
  for (const knob of knobs === "" ? [] : knobs.split(",")) {
    const [key = "", value = ""] = knob.split("=")
    const flag = onOff(value.trim().toLowerCase())
    if (!(KNOBS as ReadonlyArray<string>).includes(key.trim()) || flag === undefined) {
      return Either.left(
        new CliError.UsageError({
          message: `"${knob}" is not a knob of ${name}`,
          hint: `Knobs: ${KNOBS.map((k) => `${k}=on|off`).join(", ")}, e.g. ${name}:legacy=on,quick-connect=off`
        })
      )
    }
    options = key.trim() === "legacy" ? { ...options, legacy: flag } : { ...options, quickConnect: flag }
  }
  return Either.right(options)
}

/** The personas of `--persona` values, each port following `firstPort` in order; Connect's after them. */
export const personasPlan = (
  specs: ReadonlyArray<string>,
  firstPort: number | undefined
): Either.Either<{ readonly personas: ReadonlyArray<SandboxPersonaOptions>; readonly connectPort: number | undefined }, CliError.UsageError> =>
  Either.gen(function*() {
    const personas: Array<SandboxPersonaOptions> = []
    for (const spec of specs) {
      const parsed = yield* parsePersona(spec)
      if (personas.some((p) => p.persona === parsed.persona)) {
        return yield* Either.left(new CliError.UsageError({ message: `persona ${parsed.persona} is given twice` }))
      }
      personas.push({ ...parsed, port: firstPort === undefined ? undefined : firstPort + personas.length })
    }
    return { personas, connectPort: firstPort === undefined ? undefined : firstPort + personas.length }
  })

/** The whole sandbox's ports from `--port N`: the personas in order, then Connect, then discovery. */
export const sandboxPorts = (firstPort: number | undefined): SandboxPorts => {
  if (firstPort === undefined) return {}
  const of = (persona: SandboxPersonaName) => firstPort + SANDBOX_PERSONAS.indexOf(persona)
  return {
    jellyfin10: of("jellyfin-10.10"),
    jellyfin: of("jellyfin-10.11"),
    jellyfin12: of("jellyfin-12.0"),
    emby: of("emby-4.9"),
    connect: firstPort + SANDBOX_PERSONAS.length,
    discovery: firstPort + SANDBOX_PERSONAS.length + 1
  }
}
