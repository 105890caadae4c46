/**
 * The one-line status (a spinner with a countdown) drawn at the bottom of the terminal. Any
 * other line written while it is drawn, on stdout or stderr, first clears it, so it never ends up
 * in front of that line; the spinner draws it again on its next frame.
 *
 * @internal
 */
import * as OutputStream from "./outputStream.js"

let drawn = false

const clearSequence = "\r\u001B[2K"

/** Draws `text` as the status line (stderr must be a terminal). @internal */
export const draw = (text: string): void => {
  OutputStream.processStreams().stderr.unsafeWrite(`${clearSequence}${text}`)
  drawn = true
}

/** Clears the status line if it is drawn. @internal */
export const clear = (): void => {
  if (!drawn) return
  drawn = false
  OutputStream.processStreams().stderr.unsafeWrite(clearSequence)
}
