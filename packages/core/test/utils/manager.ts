/**
 * Set-up for the ConnectionManager tests: a memory credential store, a client identity, a fast
 * client policy, and optionally an Emby Connect client and LAN discovery pointed at fakes.
 */
import * as ClientInfo from "@mbauth/core/ClientInfo"
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as ServerDiscovery from "@mbauth/core/ServerDiscovery"
import type { FakeEmbyConnectService } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export const CLIENT: ClientInfo.ClientInfo = {
  client: "mbauth tests",
  version: "1.2.3",
  device: "Test runner",
  deviceId: "manager-device-1"
}

export interface HarnessOptions {
  readonly connect?: FakeEmbyConnectService | undefined
  /** The UDP port of a discovery responder on 127.0.0.1. */
  readonly discoveryPort?: number | undefined
  readonly manager?: ConnectionManager.Options | undefined
  readonly initial?: CredentialStore.Credentials | undefined
  readonly policy?: ClientPolicy.Options | undefined
  /** Share a store between managers (two apps, or a restart). */
  readonly store?: CredentialStore.Service | undefined
}

/** A manager and its store (the HttpClient comes from the test's context). */
export const harness = (options: HarnessOptions = {}) =>
  Effect.gen(function*() {
    const store = options.store ?? (yield* CredentialStore.makeMemory(options.initial))
    const policy = ClientPolicy.layer({
      timeout: "2 seconds",
      retries: 1,
      backoff: "1 millis",
      maxBackoff: "2 millis",
      ...options.policy
    })
    const layers = Layer.mergeAll(
      Layer.succeed(CredentialStore.CredentialStore, store),
      Layer.succeed(ClientInfo.ClientInfo, CLIENT),
      policy,
      options.connect === undefined
        ? Layer.empty
        : EmbyConnect.layer({ appName: "mbauth-tests", appVersion: "1.0.0", baseUrl: options.connect.serviceUrl }).pipe(
          Layer.provide(policy),
          Layer.orDie
        ),
      options.discoveryPort === undefined
        ? Layer.empty
        : ServerDiscovery.layer({ port: options.discoveryPort, targets: ["127.0.0.1"], timeout: "300 millis" })
    )
    const manager = yield* ConnectionManager.make(options.manager).pipe(Effect.provide(layers))
    return { store, manager }
  })
