/**
 * The errors a command can end with, and the exit code each one means:
 *
 * | error | exit | printed |
 * | --- | --- | --- |
 * | {@link UsageError}, {@link NotInteractive} | 2 | one or two lines on stderr |
 * | {@link CommandFailed} | 1 | one or two lines on stderr, or one JSON object on stdout with `--json` |
 * | {@link Reported} | its `exitCode` | nothing more: the command already printed everything |
 *
 * Messages are written for the person at the terminal and never contain a secret.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * The command line was wrong in a way the option parser cannot see (two inputs that both want
 * stdin, a batch input format a command does not read, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly message: string
  /** A second line: what to type instead. */
  readonly hint?: string
}> {}

/**
 * A value was needed that only a prompt could still supply, but stdin and stdout are not both
 * terminals, so prompting would hang or write control codes into a pipe.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotInteractive extends Data.TaggedError("NotInteractive")<{
  /** What was missing, e.g. "the password". */
  readonly what: string
  /** The non-interactive ways to supply it, e.g. ["--password-stdin", "MBAUTH_PASSWORD"]. */
  readonly alternatives: ReadonlyArray<string>
}> {
  override get message(): string {
    return `${this.what} is needed, and there is no terminal to prompt on (stdin and stdout must both be terminals)`
  }
}

/**
 * The operation was understood but did not succeed.
 *
 * @since 0.1.0
 * @category errors
 */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{
  /** A stable machine-readable reason, e.g. "InvalidHeader"; shows up as `error.code` with `--json`. */
  readonly code: string
  readonly message: string
  readonly hint?: string
  /** Extra structured detail for `--json` output. Must not contain secrets. */
  readonly detail?: unknown
}> {}

/**
 * The command has already written its result and its errors (batch mode with some invalid lines, a
 * linter that found problems); only the exit code is left to set.
 *
 * @since 0.1.0
 * @category errors
 */
export class Reported extends Data.TaggedError("Reported")<{ readonly exitCode: number }> {}

/**
 * @since 0.1.0
 * @category models
 */
export type CliError = UsageError | NotInteractive | CommandFailed | Reported

/**
 * @since 0.1.0
 * @category exit codes
 */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  /** 128 + SIGINT, what shells report for a program stopped with Ctrl-C. */
  Interrupted: 130
} as const

/**
 * @since 0.1.0
 * @category exit codes
 */
export const exitCodeOf = (error: CliError): number => {
  switch (error._tag) {
    case "UsageError":
    case "NotInteractive":
      return ExitCode.Usage
    case "CommandFailed":
      return ExitCode.Failed
    case "Reported":
      return error.exitCode
  }
}
