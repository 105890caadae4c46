/**
 * `mbauth header format|parse|lint`: build, read and check MediaBrowser authorization headers,
 * exactly as the servers read them (the generated header module in @mbauth/core).
 *
 * Only the command definitions live here; each implementation is loaded when its command runs.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"
import * as Batch from "../Batch.js"
import * as Secret from "../Secret.js"
import * as Shared from "../internal/options.js"
import * as Tables from "../internal/tables.js"

const text = (name: string, placeholder: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(placeholder), Options.withDescription(description), Options.optional)

const formatConfig = {
  client: text("client", "NAME", "Client (the application's name), e.g. \"Jellyfin Web\"."),
  clientVersion: text(
    "client-version",
    "VERSION",
    "Version (the application's version); `--version VALUE` is accepted too."
  ),
  device: text("device", "NAME", "Device (a human name for the device)."),
  deviceId: text("device-id", "ID", "DeviceId (stable per device, and per user on shared devices)."),
  userId: text("user-id", "ID", "UserId (sent by Emby clients; Jellyfin ignores it)."),
  tokenStdin: Secret.stdinFlag("token", "MBAUTH_TOKEN"),
  style: Options.choice("style", Tables.formatStyles).pipe(
    Options.withDefault("canonical" as const),
    Options.withDescription("canonical: spec order, quoted, percent-encoded. jellyfin-sdk: byte-identical to @jellyfin/sdk.")
  ),
  scheme: Options.choice("scheme", Tables.schemeNames).pipe(
    Options.optional,
    Options.withDescription("The scheme word (default MediaBrowser; Emby is legacy).")
  ),
  transport: Options.choice("transport", Tables.formatTransports).pipe(
    Options.withDefault("value" as const),
    Options.withDescription(
      "value: the header value. header: the `Name: value` line. curl: curl arguments. query: the query string for a WebSocket URL (ApiKey=…)."
    )
  ),
  headerName: Shared.headerName("The header to name with --transport header|curl."),
  showSecrets: Secret.showSecrets,
  ...Batch.options
}

/**
 * The parsed options of `header format`.
 *
 * @since 0.1.0
 * @category models
 */
export type FormatArgs = Command.Command.ParseConfig<typeof formatConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const format = Action.make(
  "format",
  formatConfig,
  (args) => Action.load(() => import("../internal/header/format.js"), (m) => m.run(args))
).pipe(
  Command.withDescription(
    "Build an authorization header from flags (token from --token-stdin or MBAUTH_TOKEN). Batch: --stdin --input jsonl, one params object per line."
  )
)

const value = Args.text({ name: "VALUE" }).pipe(
  Args.withDescription("The header value, e.g. 'MediaBrowser Client=\"x\", Token=\"…\"'. Omit with --stdin."),
  Args.optional
)

const parseConfig = {
  value,
  mode: Options.choice("mode", Tables.parseModes).pipe(
    Options.optional,
    Options.withDescription("Show only this mode's result (default: strict and compat side by side).")
  ),
  noLegacy: Options.boolean("no-legacy").pipe(
    Options.withDescription("Reject the legacy Emby scheme, as a server with legacy authorization off does.")
  ),
  showSecrets: Secret.showSecrets,
  ...Batch.options
}

/**
 * The parsed options of `header parse`.
 *
 * @since 0.1.0
 * @category models
 */
export type ParseArgs = Command.Command.ParseConfig<typeof parseConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const parse = Action.make(
  "parse",
  parseConfig,
  (args) => Action.load(() => import("../internal/header/parse.js"), (m) => m.run(args))
).pipe(
  Command.withDescription(
    "Parse a header value as the server does: strict and compat side by side, errors marked with a caret."
  )
)

const lintConfig = {
  value,
  profile: Shared.profile,
  headerName: Shared.headerName("The header the value is sent in."),
  showSecrets: Secret.showSecrets,
  ...Batch.options
}

/**
 * The parsed options of `header lint`.
 *
 * @since 0.1.0
 * @category models
 */
export type LintArgs = Command.Command.ParseConfig<typeof lintConfig>

/**
 * @since 0.1.0
 * @category commands
 */
export const lint = Action.make(
  "lint",
  lintConfig,
  (args) => Action.load(() => import("../internal/header/lint.js"), (m) => m.run(args))
).pipe(
  Command.withDescription(
    "How each server profile reads a header, and what is wrong with it, with the fix. Exits 1 when it finds an error."
  )
)

/**
 * Examples of the `header` commands (run by test/Examples.e2e.test.ts).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  header: {
    examples: [
      {
        command: "mbauth header format --client 'My App' --client-version 1.0 --device Laptop --device-id 4f6d2a",
        description: "Build a header"
      },
      {
        command: "mbauth header lint 'MediaBrowser Client=\"App\", Device=\"PC\", DeviceId=\"4f6d2a\", Version=\"1.0\"'",
        description: "Check a header against every server profile"
      }
    ]
  },
  "header format": {
    examples: [
      {
        command: "mbauth header format --client 'My App' --client-version 1.0 --device Laptop --device-id 4f6d2a",
        description: "The header value, canonical style"
      },
      {
        command:
          "mbauth header format --client 'My App' --client-version 1.0 --device Laptop --device-id 4f6d2a --transport curl",
        description: "As curl arguments"
      },
      {
        command: "echo '{\"Client\":\"App\",\"Version\":\"1.0\",\"Device\":\"PC\",\"DeviceId\":\"4f6d2a\"}' | mbauth header format --stdin --input jsonl",
        description: "One header per JSON line on standard input"
      }
    ]
  },
  "header parse": {
    examples: [
      {
        command: "mbauth header parse 'MediaBrowser Client=\"App\", Device=\"PC\", DeviceId=\"4f6d2a\", Version=\"1.0\"'",
        description: "How strict and compat servers read a header"
      },
      {
        command: "printf '%s\\n' 'MediaBrowser Client=\"a\"' 'Emby Client=\"b\"' | mbauth header parse --stdin --mode compat --json",
        description: "One header per line, JSON out"
      }
    ]
  },
  "header lint": {
    examples: [
      {
        command: "mbauth header lint 'MediaBrowser Client=\"App\", Device=\"PC\", DeviceId=\"4f6d2a\", Version=\"1.0\"'",
        description: "What each server profile makes of a header"
      },
      {
        command: "mbauth header lint --profile jellyfin-12 'Emby Client=\"My App\"' || echo 'has errors'",
        description: "One profile only; exits 1 when the header has an error"
      }
    ]
  }
}

/**
 * `mbauth header`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("header").pipe(
  Command.withDescription("Build, parse and lint MediaBrowser authorization headers."),
  Command.withSubcommands([format, parse, lint])
)
