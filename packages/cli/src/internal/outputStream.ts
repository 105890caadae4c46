/**
 * The process's stdout and stderr as the program writes them, with the three guarantees a Unix
 * tool gives (packages/cli/README.md, "Output guarantees"):
 *
 * - **Bounded memory.** {@link OutputStream.write} waits while the stream holds more than its
 *   high-water mark of unwritten text, so a slow reader slows the program down instead of making
 *   Node queue everything in memory (on a pipe, Node writes asynchronously and queues without
 *   limit).
 * - **A reader that is gone ends the program quietly.** Once a write fails (EPIPE: `| head -1`
 *   exited), the stream counts as closed: a later write to stdout interrupts the writer, as SIGPIPE
 *   stops a C program at its write, and `main.ts` exits with {@link ExitCode}; words for stderr are
 *   dropped. Nothing is printed about it.
 * - **Flushed before exit.** {@link OutputStream.flushed} settles once everything written has left
 *   the process; the exit path waits for it, because `process.exit` drops writes still queued on a
 *   pipe.
 *
 * @internal
 */
import * as Effect from "effect/Effect"

/**
 * The exit code after stdout was closed by its reader: 128 + SIGPIPE, what shells report for a
 * program stopped by a closed pipe.
 *
 * @internal
 */
export const ExitCode = 141

/** @internal */
export interface OutputStream {
  /** Writes text; waits while the stream is full. On a closed stdout, interrupts the writer. */
  readonly write: (text: string) => Effect.Effect<void>
  /** Writes text without waiting (for callers outside an Effect); dropped when closed. */
  readonly unsafeWrite: (text: string) => void
  /** Whether a write has failed: the reader is gone. */
  readonly isClosed: () => boolean
  /** Settles when everything written so far has left the process (or can never leave). */
  readonly flushed: () => Promise<void>
}

/**
 * Wraps a process stream. `onClosed` says what a write to the closed stream does: `"interrupt"`
 * the writer (stdout: the data has nowhere to go, so the work that makes it should stop) or
 * `"drop"` the text (stderr: losing notes must not stop the work).
 *
 * @internal
 */
export const make = (stream: NodeJS.WriteStream, onClosed: "interrupt" | "drop"): OutputStream => {
  let closed = false
  // Without a listener an EPIPE is an uncaught exception with a stack trace.
  stream.on("error", () => {
    closed = true
  })

  const unsafeWrite = (text: string) => {
    if (!closed) stream.write(text)
  }

  // Resumes on 'drain', or on 'error'/'close' (then the next write sees the stream closed).
  const awaitDrain = Effect.async<void>((resume) => {
    const done = () => {
      stream.off("drain", done)
      stream.off("error", done)
      stream.off("close", done)
      resume(Effect.void)
    }
    stream.on("drain", done)
    stream.on("error", done)
    stream.on("close", done)
    return Effect.sync(() => {
      stream.off("drain", done)
      stream.off("error", done)
      stream.off("close", done)
    })
  })

  const whenClosed = onClosed === "interrupt" ? Effect.interrupt : Effect.void
  const write = (text: string): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (closed || stream.destroyed) return whenClosed
      return stream.write(text) ? Effect.void : awaitDrain
    })

  const flushed = () =>
    new Promise<void>((resolve) => {
      if (closed || stream.destroyed || stream.writableLength === 0) return resolve()
      // Writes complete in order: this callback runs once every earlier write has left.
      stream.write("", () => resolve())
    })

  return { write, unsafeWrite, isClosed: () => closed, flushed }
}

let streams: { readonly stdout: OutputStream; readonly stderr: OutputStream } | undefined

/**
 * The process's stdout and stderr, wrapped once.
 *
 * @internal
 */
export const processStreams = (): { readonly stdout: OutputStream; readonly stderr: OutputStream } =>
  (streams ??= { stdout: make(process.stdout, "interrupt"), stderr: make(process.stderr, "drop") })
