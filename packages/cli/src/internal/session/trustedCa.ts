/**
 * `--cacert FILE` / `MBAUTH_CA_CERT`: the certificate authorities to trust for HTTPS, those of the
 * file beside Node's own (its bundled list, and `NODE_EXTRA_CA_CERTS`). Verification itself is
 * never turned off.
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { X509Certificate } from "node:crypto"
import { rootCertificates } from "node:tls"
import * as CliError from "../../CliError.js"

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

const unusable = (file: string, why: string) =>
  new CliError.UsageError({
    message: `--cacert ${JSON.stringify(file)} (or MBAUTH_CA_CERT) is not usable: ${why}`,
    hint: "give the certificate of the authority that signed the server's certificate, in PEM (-----BEGIN CERTIFICATE-----)"
  })

/** The certificates of a PEM file, each checked to be one. @internal */
export const certificates = (file: string, text: string): Effect.Effect<ReadonlyArray<string>, CliError.UsageError> => {
  const found = text.match(PEM_CERTIFICATE) ?? []
  if (found.length === 0) return Effect.fail(unusable(file, "it holds no PEM certificate"))
  for (const pem of found) {
    try {
      new X509Certificate(pem)
    } catch (e) {
      return Effect.fail(unusable(file, `a certificate in it cannot be read (${e instanceof Error ? e.message : String(e)})`))
    }
  }
  return Effect.succeed(found)
}

const readText = (file: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file)).pipe(
    Effect.mapError((error) => unusable(file, error.message))
  )

/** Node's certificate authorities, `NODE_EXTRA_CA_CERTS`'s and the file's: what `ca` replaces. @internal */
export const read = (file: string): Effect.Effect<ReadonlyArray<string>, CliError.UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const own = yield* Effect.flatMap(readText(file), (text) => certificates(file, text))
    const extraFile = process.env.NODE_EXTRA_CA_CERTS
    const extra = extraFile === undefined || extraFile === ""
      ? []
      : yield* Effect.orElseSucceed(Effect.flatMap(readText(extraFile), (text) => certificates(extraFile, text)), () => [])
    return [...rootCertificates, ...extra, ...own]
  })
