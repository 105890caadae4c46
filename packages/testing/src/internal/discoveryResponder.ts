/**
 * A UDP discovery responder as Jellyfin and Emby servers run one (port 7359): a client sends the
 * text `who is JellyfinServer?` or `who is EmbyServer?` (usually as a broadcast), every server
 * answers the sender with one JSON datagram `{ Address, Id, Name }`.
 *
 * Matching, as the servers do it (core's `docs/server-facts.md`, "LAN discovery"): Jellyfin answers datagrams
 * containing `who is JellyfinServer?` (case-insensitive); Emby answers datagrams containing
 * `who is EmbyServer?` (case-insensitive) or exactly `who is MediaBrowserServer_v2?`, decoded as
 * UTF-8 or, failing that, UTF-16. Jellyfin's answer also has `"EndpointAddress": null`.
 *
 * One responder may answer for several servers (the sandbox runs all its servers on one host):
 * it sends one datagram per matching server, as separate servers on a LAN would.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Dgram from "node:dgram"

/** A server the responder answers for. */
export interface DiscoveryEntry {
  readonly product: "Jellyfin" | "Emby"
  /** What the server advertises as its address, e.g. `http://192.168.1.20:8096`. */
  readonly address: string
  /** The ServerId. */
  readonly id: string
  readonly name: string
}

/** Options of {@link make}. */
export interface DiscoveryResponderOptions {
  /** UDP port; default 7359 (the real servers' port); 0 = a free port. */
  readonly port?: number | undefined
  /** Address to bind; default `127.0.0.1` (use `0.0.0.0` to hear LAN broadcasts). */
  readonly host?: string | undefined
  /** The servers to answer for; change them later with `setEntries`. */
  readonly entries: ReadonlyArray<DiscoveryEntry>
}

/** A datagram the responder received. */
export interface DiscoveryQuery {
  /** Sender address and port. */
  readonly from: string
  readonly fromPort: number
  /** The text as decoded (UTF-8 or UTF-16). */
  readonly text: string
  /** How many answers were sent. */
  readonly answered: number
}

/** A running responder. */
export interface DiscoveryResponder {
  readonly host: string
  readonly port: number
  /** Every datagram received so far. */
  readonly queries: Effect.Effect<ReadonlyArray<DiscoveryQuery>>
  readonly entries: Effect.Effect<ReadonlyArray<DiscoveryEntry>>
  readonly setEntries: (entries: ReadonlyArray<DiscoveryEntry>) => Effect.Effect<void>
}

/** The UDP socket could not be bound (port in use, bad address). */
export class DiscoveryResponderError extends Data.TaggedError("DiscoveryResponderError")<{
  readonly host: string
  readonly port: number
  readonly reason: string
}> {
  override get message(): string {
    return `Cannot answer discovery on ${this.host}:${this.port}: ${this.reason}`
  }
}

/** Which products a datagram asks for. */
export const askedFor = (text: string): ReadonlyArray<"Jellyfin" | "Emby"> => {
  const lower = text.toLowerCase()
  const out: Array<"Jellyfin" | "Emby"> = []
  if (lower.includes("who is jellyfinserver?")) out.push("Jellyfin")
  if (lower.includes("who is embyserver?") || text === "who is MediaBrowserServer_v2?") out.push("Emby")
  return out
}

/** UTF-8 first; an answerless UTF-8 reading is retried as UTF-16 (little-endian, BOM honoured). */
export const decodeQuery = (bytes: Uint8Array): string => {
  const utf8 = new TextDecoder("utf-8").decode(bytes)
  if (askedFor(utf8).length > 0 || bytes.length % 2 !== 0) return utf8
  const big = bytes[0] === 0xfe && bytes[1] === 0xff
  const utf16 = new TextDecoder(big ? "utf-16be" : "utf-16le").decode(bytes)
  return askedFor(utf16).length > 0 ? utf16 : utf8
}

/** The answer datagram for a server. */
export const answer = (entry: DiscoveryEntry): string =>
  JSON.stringify(
    entry.product === "Jellyfin"
      ? { Address: entry.address, Id: entry.id, Name: entry.name, EndpointAddress: null }
      : { Address: entry.address, Id: entry.id, Name: entry.name }
  )

/** Binds the socket for the scope and answers queries. */
export const make = (
  options: DiscoveryResponderOptions
): Effect.Effect<DiscoveryResponder, DiscoveryResponderError, Scope.Scope> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const requestedPort = options.port ?? 7359
    let entries = options.entries
    const queries: Array<DiscoveryQuery> = []
    const socket = yield* Effect.acquireRelease(
      Effect.async<Dgram.Socket, DiscoveryResponderError>((resume) => {
        const s = Dgram.createSocket({ type: host.includes(":") ? "udp6" : "udp4" })
        const onError = (error: Error) => {
          s.close()
          resume(Effect.fail(new DiscoveryResponderError({ host, port: requestedPort, reason: error.message })))
        }
        s.once("error", onError)
        s.bind(requestedPort, host, () => {
          s.off("error", onError)
          // A reply to a vanished sender must not crash the process.
          s.on("error", () => undefined)
          resume(Effect.succeed(s))
        })
      }),
      (s) =>
        Effect.async<void>((resume) => {
          s.close(() => resume(Effect.void))
        })
    )
    socket.on("message", (message, remote) => {
      const text = decodeQuery(message)
      const products = askedFor(text)
      const matching = entries.filter((entry) => products.includes(entry.product))
      for (const entry of matching) {
        socket.send(answer(entry), remote.port, remote.address)
      }
      queries.push({ from: remote.address, fromPort: remote.port, text, answered: matching.length })
    })
    return {
      host,
      port: socket.address().port,
      queries: Effect.sync(() => queries.slice()),
      entries: Effect.sync(() => entries),
      setEntries: (next) =>
        Effect.sync(() => {
          entries = next
        })
    } satisfies DiscoveryResponder
  })
