/** A plain-text rendering of an error a command fails with (for stderr). */
export const renderError = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return `error: ${error.message}`
  }
  return `error: ${String(error)}`
}
