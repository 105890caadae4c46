/**
 * LAN discovery of Jellyfin and Emby servers over UDP.
 *
 * The client broadcasts `who is JellyfinServer?` and `who is EmbyServer?` to port 7359 and collects
 * the JSON replies (`{ "Address": "http://192.168.1.68:8096", "Id": "…", "Name": "…" }`) for a
 * bounded time, one socket per question so each reply is known to come from a Jellyfin or an Emby
 * server. As every reference client does (docs/server-facts.md, "LAN discovery"), the local address of a
 * server is rebuilt from the datagram's source address and the port of the reported address:
 * servers often report a Docker bridge or another network card, while the source address is the
 * one that just reached us. Replies are de-duplicated by product and server Id.
 *
 * Node only: the UDP socket is `node:dgram`, looked up with `process.getBuiltinModule` when
 * discovery runs rather than imported, so this module (and the root import) bundles for browsers
 * with no Node built-ins. Where there is no UDP (a browser), a run fails with a `DiscoveryError`
 * whose reason is `"Unsupported"`. Port and targets are configurable (tests run on loopback).
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as ServerDiscovery from "@mbauth/core/ServerDiscovery"
 *
 * const program = Effect.gen(function*() {
 *   const discovery = yield* ServerDiscovery.ServerDiscovery
 *   const servers = yield* discovery.discover({ timeout: "1 second" })
 *   return servers.map((s) => `${s.product} ${s.name}: ${s.address}`)
 * }).pipe(Effect.provide(ServerDiscovery.layer()))
 * ```
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Dgram from "node:dgram"
import type * as Os from "node:os"
import { localAddressFromDiscovery } from "./internal/connectionManager/addresses.js"

/**
 * The port Jellyfin and Emby servers listen on for discovery.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_PORT = 7359

/**
 * The broadcast address every reference client sends to.
 *
 * @since 0.1.0
 * @category constants
 */
export const BROADCAST = "255.255.255.255"

/**
 * `"Jellyfin" | "Emby"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Product = "Jellyfin" | "Emby"

/**
 * What each product's servers answer to. Emby matches its question as a case-insensitive
 * substring; Jellyfin answers `who is JellyfinServer?`.
 *
 * @since 0.1.0
 * @category constants
 */
export const QUESTIONS: { readonly [P in Product]: string } = {
  Jellyfin: "who is JellyfinServer?",
  Emby: "who is EmbyServer?"
}

/**
 * A server that answered.
 *
 * @since 0.1.0
 * @category models
 */
export interface DiscoveredServer {
  /** The ServerId. */
  readonly id: string
  readonly name: string
  /** Which question it answered. */
  readonly product: Product
  /** The local address to use: source host, reported scheme, port and path. */
  readonly address: string
  /** The address the server reported (`Address`), when it sent one. */
  readonly reportedAddress: string | undefined
  /** The datagram's source address. */
  readonly endpointAddress: string
}

/**
 * Discovery could not run: the UDP socket could not be opened, or no question could be sent to
 * any target (no network, broadcast not permitted).
 *
 * @since 0.1.0
 * @category errors
 */
export class DiscoveryError extends Schema.TaggedError<DiscoveryError>("@mbauth/core/ServerDiscovery/DiscoveryError")(
  "DiscoveryError",
  {
    reason: Schema.Literal("SocketFailed", "SendFailed", "Unsupported"),
    /** The targets, `host:port`. */
    targets: Schema.Array(Schema.String),
    /** The operating system's explanation, e.g. `EACCES: send EACCES 255.255.255.255:7359`. */
    detail: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason === "Unsupported"
      ? `Server discovery needs UDP sockets, which this runtime does not have (${this.detail}); enter the server address instead.`
      : this.reason === "SocketFailed"
      ? `Could not open a UDP socket for server discovery: ${this.detail}`
      : `Could not send the discovery question to ${this.targets.join(", ")}: ${this.detail}. ` +
        `Check that this machine is on a network that allows broadcasts, or enter the server address instead.`
  }
}

/**
 * Options of a discovery run; unset ones come from the layer's options, then the defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long to collect replies. Default 1 second (the JS, Java and Swift clients). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Which products to ask for. Default both. */
  readonly products?: ReadonlyArray<Product> | undefined
  /** The port servers listen on. Default {@link DEFAULT_PORT}. */
  readonly port?: number | undefined
  /**
   * Where to send the questions. Default `255.255.255.255` plus the directed broadcast address of
   * every IPv4 network this machine is on (some systems send the global broadcast out of one
   * interface only).
   */
  readonly targets?: ReadonlyArray<string> | undefined
}

/**
 * The discovery service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Every server that answered within the timeout. */
  readonly discover: (options?: Options) => Effect.Effect<ReadonlyArray<DiscoveredServer>, DiscoveryError>
  /** Servers as they answer; the stream ends at the timeout. */
  readonly stream: (options?: Options) => Stream.Stream<DiscoveredServer, DiscoveryError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ServerDiscovery extends Context.Tag("@mbauth/core/ServerDiscovery")<ServerDiscovery, Service>() {}

const Reply = Schema.Struct({
  Id: Schema.NonEmptyString,
  Name: Schema.optional(Schema.NullOr(Schema.String)),
  Address: Schema.optional(Schema.NullOr(Schema.String)),
  EndpointAddress: Schema.optional(Schema.NullOr(Schema.String))
})
const decodeReply = Schema.decodeUnknownOption(Schema.parseJson(Reply))

/**
 * Reads one reply datagram. `None` for anything that is not a server's JSON answer (other
 * programs use the port too) or whose address cannot be made usable.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseReply = (
  text: string,
  source: string,
  product: Product
): Option.Option<DiscoveredServer> =>
  Option.flatMap(decodeReply(text), (reply) => {
    const reported = reply.Address === null || reply.Address === undefined || reply.Address.trim() === ""
      ? undefined
      : reply.Address.trim()
    const address = localAddressFromDiscovery(reported, source)
    if (Either.isLeft(address)) return Option.none()
    const name = reply.Name === null || reply.Name === undefined || reply.Name.trim() === "" ? reply.Id : reply.Name
    return Option.some({
      id: reply.Id,
      name,
      product,
      address: address.right,
      reportedAddress: reported,
      endpointAddress: source
    })
  })

/**
 * The local address of a discovered server from the address it reported and the datagram's
 * source address (see the module documentation). Fails with the reason when neither gives an
 * http(s) address.
 *
 * @since 0.1.0
 * @category parsing
 */
export const localAddress: (reported: string | undefined, source: string | undefined) => Either.Either<string, string> =
  localAddressFromDiscovery

// The directed broadcast address of every IPv4 network this machine is on.
const interfaceBroadcasts = (os: typeof Os): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family !== "IPv4" || a.internal) continue
      const ip = a.address.split(".").map(Number)
      const mask = a.netmask.split(".").map(Number)
      if (ip.length !== 4 || mask.length !== 4) continue
      out.push(ip.map((octet, i) => (octet | (~mask[i]! & 255)) & 255).join("."))
    }
  }
  return out
}

// Node's UDP and interface modules, taken when discovery runs (not imported: browsers have neither).
const nodeModules = (): { readonly dgram: typeof Dgram; readonly os: typeof Os } | undefined => {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  if (typeof process?.getBuiltinModule !== "function") return undefined
  return {
    dgram: process.getBuiltinModule("node:dgram") as typeof Dgram,
    os: process.getBuiltinModule("node:os") as typeof Os
  }
}

const describe = (e: unknown): string => e instanceof Error ? e.message : String(e)

const openSocket = (dgram: typeof Dgram, targets: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<Dgram.Socket, DiscoveryError>((resume) => {
      const socket = dgram.createSocket("udp4")
      const onError = (e: Error) => {
        socket.close()
        resume(Effect.fail(new DiscoveryError({ reason: "SocketFailed", targets, detail: describe(e) })))
      }
      socket.once("error", onError)
      socket.bind(0, () => {
        socket.off("error", onError)
        try {
          socket.setBroadcast(true)
        } catch {
          // Only needed for broadcast targets; a unicast target still works.
        }
        resume(Effect.succeed(socket))
      })
    }),
    (socket) =>
      Effect.sync(() => {
        try {
          socket.close()
        } catch {
          // already closed
        }
      })
  )

const send = (socket: Dgram.Socket, message: string, port: number, host: string) =>
  Effect.async<void, string>((resume) => {
    try {
      socket.send(message, port, host, (error) =>
        resume(error === null || error === undefined ? Effect.void : Effect.fail(describe(error))))
    } catch (e) {
      resume(Effect.fail(describe(e)))
    }
  })

/**
 * Builds the service with default options for every run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (defaults: Options = {}): Service => {
  const stream = (options: Options = {}): Stream.Stream<DiscoveredServer, DiscoveryError> =>
    Stream.unwrapScoped(Effect.gen(function*() {
      const timeout = Duration.decode(options.timeout ?? defaults.timeout ?? Duration.seconds(1))
      const products = options.products ?? defaults.products ?? (["Jellyfin", "Emby"] as const)
      const port = options.port ?? defaults.port ?? DEFAULT_PORT
      const node = nodeModules()
      const explicitTargets = options.targets ?? defaults.targets
      const targets = explicitTargets ?? [BROADCAST, ...(node === undefined ? [] : interfaceBroadcasts(node.os))]
      const unique = [...new Set(targets)]
      const shown = unique.map((t) => `${t}:${port}`)
      if (node === undefined) {
        return yield* new DiscoveryError({ reason: "Unsupported", targets: shown, detail: "no process.getBuiltinModule(\"node:dgram\")" })
      }
      const { dgram } = node
      const seen = new Set<string>()

      return Stream.asyncScoped<DiscoveredServer, DiscoveryError>((emit) =>
        Effect.gen(function*() {
          const failures: Array<string> = []
          let sent = 0
          for (const product of products) {
            const socket = yield* openSocket(dgram, shown)
            socket.on("message", (data, remote) => {
              const server = parseReply(data.toString("utf8"), remote.address, product)
              if (Option.isNone(server)) return
              const key = `${product}/${server.value.id.toLowerCase()}`
              if (seen.has(key)) return
              seen.add(key)
              void emit.single(server.value)
            })
            // Errors after binding (an ICMP unreachable on some systems) must not end the run.
            socket.on("error", () => undefined)
            for (const target of unique) {
              const result = yield* Effect.either(send(socket, QUESTIONS[product], port, target))
              if (Either.isLeft(result)) failures.push(`${target}:${port}: ${result.left}`)
              else sent += 1
            }
          }
          if (sent === 0 && products.length > 0) {
            return yield* new DiscoveryError({ reason: "SendFailed", targets: shown, detail: failures.join("; ") })
          }
          if (failures.length > 0) {
            yield* Effect.logDebug("ServerDiscovery: some targets could not be reached").pipe(
              Effect.annotateLogs({ failures: failures.join("; ") })
            )
          }
        })
      ).pipe(Stream.interruptAfter(timeout))
    }))

  return ServerDiscovery.of({
    stream,
    discover: (options) =>
      Stream.runCollect(stream(options)).pipe(
        Effect.map(Chunk.toReadonlyArray),
        Effect.withSpan("ServerDiscovery.discover")
      )
  })
}

/**
 * The service over UDP, with default options for every run.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (defaults: Options = {}): Layer.Layer<ServerDiscovery> =>
  Layer.succeed(ServerDiscovery, make(defaults))
