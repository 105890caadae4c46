/**
 * Paths on a server: where a request for an API path given by someone else (a user's command line,
 * a link in a server's answer, a caller of a signed client) really goes.
 *
 * A signed request carries the server's token, so it must never leave the server's origin.
 * {@link resolve} joins a path to a server's API base and refuses every form that a URL parser
 * would send elsewhere: absolute URLs of another origin (`http://other/x`, `http:other/x`),
 * scheme-relative ones (`//other/x`), backslash forms that parsers read as slashes (`\\other\x`,
 * `/\other`), and control characters or spaces that parsers strip before reading the rest.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * A path was refused because it names (or could name) somewhere other than the server.
 *
 * @since 0.1.0
 * @category errors
 */
export class PathOutsideServer extends Schema.TaggedError<PathOutsideServer>(
  "@mbauth/core/ServerPath/PathOutsideServer"
)("PathOutsideServer", {
  /** The refused path, with user info and query removed. */
  path: Schema.String,
  /** The server's origin: scheme, host and port. */
  origin: Schema.String,
  reason: Schema.Literal("OtherOrigin", "SchemeRelative", "Backslash", "ControlCharacter", "NotHttp")
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const why = {
      OtherOrigin: "it is an absolute URL of another origin",
      SchemeRelative: "it starts with // (a URL of another host)",
      Backslash: "it contains a backslash, which URL parsers read as / (a URL of another host)",
      ControlCharacter: "it contains a space or control character that URL parsers drop",
      NotHttp: "it is not an http(s) URL"
    }[this.reason]
    return `The path ${JSON.stringify(this.path)} was refused: ${why}. ` +
      `A path must stay on the server (${this.origin}), e.g. /System/Info or /Users/Me?fields=x.`
  }
}

const ABSOLUTE = /^[a-z][a-z\d+\-.]*:/i
// Characters that WHATWG URL parsing strips or rewrites before it reads the rest.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/

/** The path with anything that could carry a secret (user info, query, fragment) dropped. */
const shown = (path: string): string => path.replace(/^([a-z][a-z\d+\-.]*:\/*)[^/@]*@/i, "$1").replace(/[?#].*$/s, "")

/**
 * Resolves `path` against the API base URL of a server (`http://host:8096/`,
 * `https://host/emby/`): a relative path or one starting with a single `/` stays under the base
 * (a base's `/emby/` is kept); an absolute URL is accepted only when its origin is the base's.
 * Everything else fails with {@link PathOutsideServer}; the query is kept as given.
 *
 * @example
 * ```ts
 * import * as ServerPath from "@mbauth/core/ServerPath"
 *
 * ServerPath.resolve("http://127.0.0.1:8096/emby/", "/System/Info") // Right(http://127.0.0.1:8096/emby/System/Info)
 * ServerPath.resolve("http://127.0.0.1:8096/", "//evil.example/x") // Left(PathOutsideServer)
 * ```
 *
 * @since 0.1.0
 * @category resolving
 */
export const resolve = (baseUrl: string | URL, path: string): Either.Either<URL, PathOutsideServer> => {
  const base = new URL(baseUrl)
  if (!base.pathname.endsWith("/")) base.pathname = `${base.pathname}/`
  const refuse = (reason: PathOutsideServer["reason"]) =>
    Either.left(new PathOutsideServer({ path: shown(path), origin: base.origin, reason }))
  const [beforeQuery] = path.split(/[?#]/, 1) as [string]
  if (CONTROL_OR_SPACE.test(beforeQuery)) return refuse("ControlCharacter")
  if (beforeQuery.includes("\\")) return refuse("Backslash")
  if (ABSOLUTE.test(path)) {
    if (!URL.canParse(path)) return refuse("NotHttp")
    const url = new URL(path)
    if (url.protocol !== "http:" && url.protocol !== "https:") return refuse("NotHttp")
    return url.origin === base.origin ? Either.right(url) : refuse("OtherOrigin")
  }
  if (path.startsWith("//")) return refuse("SchemeRelative")
  const url = new URL(path.replace(/^\/+/, ""), base)
  // Unreachable by the rules above; kept so that no future parser quirk can leave the origin.
  return url.origin === base.origin ? Either.right(url) : refuse("OtherOrigin")
}
