/**
 * A minimal discovery responder for the ServerDiscovery tests: a UDP socket on 127.0.0.1 that
 * answers a question with a JSON reply the way Jellyfin and Emby do, for the lifetime of a scope.
 */
import * as Effect from "effect/Effect"
import * as Dgram from "node:dgram"

export interface Responder {
  readonly port: number
  /** Every question received, as text. */
  readonly questions: ReadonlyArray<string>
}

export interface Answer {
  /** Answer datagrams that contain this (case-insensitive). */
  readonly question: string
  /** The reply text(s) (several to test de-duplication and garbage). */
  readonly replies: ReadonlyArray<string>
}

export const udpResponder = (answers: ReadonlyArray<Answer>) =>
  Effect.acquireRelease(
    Effect.async<{ socket: Dgram.Socket; responder: Responder }>((resume) => {
      const socket = Dgram.createSocket("udp4")
      const questions: Array<string> = []
      socket.on("message", (data, remote) => {
        const text = data.toString("utf8")
        questions.push(text)
        for (const answer of answers) {
          if (!text.toLowerCase().includes(answer.question.toLowerCase())) continue
          for (const reply of answer.replies) socket.send(reply, remote.port, remote.address)
        }
      })
      socket.bind(0, "127.0.0.1", () => {
        const port = socket.address().port
        resume(Effect.succeed({ socket, responder: { port, questions } }))
      })
    }),
    ({ socket }) => Effect.sync(() => socket.close())
  ).pipe(Effect.map(({ responder }) => responder))
