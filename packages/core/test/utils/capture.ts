import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import type * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

/** Everything written by the loggers and every span ended, as text. */
export interface Capture {
  readonly logs: Array<string>
  readonly spans: Array<RecordedSpan>
}

export interface RecordedSpan {
  readonly name: string
  readonly kind: Tracer.SpanKind
  readonly attributes: Record<string, unknown>
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> }>
  readonly exit: string
}

class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = Math.random().toString(16).slice(2)
  readonly traceId: string
  readonly sampled = true
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<{ name: string; attributes: Record<string, unknown> }> = []
  links: Array<Tracer.SpanLink>
  constructor(
    readonly capture: Capture,
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: Iterable<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.status = { _tag: "Started", startTime }
    this.traceId = Option.isSome(parent) ? parent.value.traceId : Math.random().toString(16).slice(2)
    this.links = Array.from(links)
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.capture.spans.push({
      name: this.name,
      kind: this.kind,
      attributes: Object.fromEntries(this.attributes),
      events: this.events,
      // What an exporter would record for a failure: the rendered cause.
      exit: exit._tag === "Success" ? "success" : Cause.pretty(exit.cause, { renderErrorCause: true })
    })
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes: attributes ?? {} })
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

export const makeCapture = (): Capture => ({ logs: [], spans: [] })

/** A tracer recording every span into `capture`. */
export const tracer = (capture: Capture): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind) =>
      new RecordingSpan(capture, name, parent, context, links, startTime, kind),
    context: (f) => f()
  })

/** Loggers writing every log (all levels) into `capture`, in the logfmt, JSON and pretty formats. */
export const layer = (capture: Capture): Layer.Layer<never> =>
  Layer.mergeAll(
    Logger.replace(
      Logger.defaultLogger,
      Logger.zip(
        Logger.map(Logger.logfmtLogger, (line) => capture.logs.push(line)),
        Logger.zip(
          Logger.map(Logger.jsonLogger, (line) => capture.logs.push(line)),
          Logger.map(Logger.stringLogger, (line) => capture.logs.push(line))
        )
      )
    ),
    Logger.minimumLogLevel(LogLevel.All),
    Layer.setTracer(tracer(capture))
  )

/** The capture as one string, spans included (attributes, events, exits). */
export const dump = (capture: Capture): string =>
  capture.logs.join("\n") + "\n" + capture.spans.map((span) => Inspectable.format(span)).join("\n")
