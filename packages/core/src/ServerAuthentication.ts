/**
 * Server side: authenticate requests the way a Jellyfin or Emby server does — same token
 * precedence, same legacy switch, same silent ignoring — for an @effect/platform `HttpServer` app
 * ({@link middleware}) or an `HttpApi` ({@link HttpApiAuthentication}).
 *
 * The token check itself is yours: provide a {@link TokenValidator} that looks the token up among
 * device tokens and API keys (as Jellyfin does, in that order) and returns the {@link Principal}.
 * Requests without a usable token, or whose token the validator rejects, get `401` with
 * `WWW-Authenticate: MediaBrowser`. Handlers receive {@link Authenticated} (and, with the plain
 * middleware, `Credentials.Credentials`).
 *
 * Secrets: the platform's server tracer records the URL and some headers before this middleware
 * runs; the middleware masks token query parameters and secret headers on those enclosing spans.
 * Provide `Redaction.layerRedactedHeaderNames` to the server so its own logs and spans hide the
 * MediaBrowser headers too, and do not use `HttpMiddleware.logger` unmodified on routes that accept
 * `ApiKey` (it logs the raw URL).
 *
 * @example
 * ```ts
 * import * as HttpRouter from "@effect/platform/HttpRouter"
 * import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
 * import * as Effect from "effect/Effect"
 * import * as ServerAuthentication from "@mbauth/core/ServerAuthentication"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.get(
 *     "/Users/Me",
 *     Effect.gen(function*() {
 *       const { principal } = yield* ServerAuthentication.Authenticated
 *       return yield* HttpServerResponse.json({ principal: principal._tag })
 *     }).pipe(ServerAuthentication.middleware({ profile: "jellyfin-12" }))
 *   )
 * )
 *
 * const Tokens = ServerAuthentication.layerTokenValidatorFromEntries([
 *   ["0123456789abcdef0123456789abcdef", ServerAuthentication.Principal.User({ userId: "u1" })]
 * ])
 * ```
 *
 * @since 0.1.0
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerRespondable from "@effect/platform/HttpServerRespondable"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import * as Credentials from "./Credentials.js"
import { resolveLegacy as resolveLegacyOf } from "./internal/profiles.js"
import { scrubSpans } from "./internal/redaction.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The server to behave like. */
  readonly profile: Credentials.ProfileName
  /** The server's `EnableLegacyAuthorization`. Default: the profile's default. */
  readonly legacy?: boolean | undefined
}

/**
 * Who a valid token belongs to: a user's device session, or an API key (which Jellyfin treats as an
 * administrator and whose name replaces the request's `Client`).
 *
 * @since 0.1.0
 * @category models
 */
export type Principal = Data.TaggedEnum<{
  User: {
    readonly userId: string
    readonly userName?: string | undefined
    readonly isAdministrator?: boolean | undefined
  }
  ApiKey: { readonly name: string }
}>

/**
 * Constructors and matchers for {@link Principal}: `Principal.User({ userId })`,
 * `Principal.ApiKey({ name })`, `Principal.$is("User")`, `Principal.$match`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Principal = Data.taggedEnum<Principal>()

/**
 * An authenticated request: its credentials and who they belong to.
 *
 * @since 0.1.0
 * @category models
 */
export interface Authenticated {
  readonly credentials: Credentials.Credentials
  readonly principal: Principal
}

/**
 * The authentication of the current request, provided to handlers.
 *
 * @since 0.1.0
 * @category tags
 */
export const Authenticated: Context.Tag<Authenticated, Authenticated> = Context.GenericTag<Authenticated>(
  "@mbauth/core/ServerAuthentication/Authenticated"
)

/**
 * The validator does not accept the token. `reason` is shown to nobody but the server's logs; it
 * must not contain the token.
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenRejected extends Schema.TaggedError<TokenRejected>("@mbauth/core/ServerAuthentication/TokenRejected")(
  "TokenRejected",
  { reason: Schema.String }
) {}

/**
 * The token check you supply: look the token up (device tokens first, then API keys, to match
 * Jellyfin) and return who it belongs to, or fail with {@link TokenRejected}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenValidator {
  readonly validate: (credentials: Credentials.Credentials) => Effect.Effect<Principal, TokenRejected>
}

/**
 * @since 0.1.0
 * @category tags
 */
export const TokenValidator: Context.Tag<TokenValidator, TokenValidator> = Context.GenericTag<TokenValidator>(
  "@mbauth/core/ServerAuthentication/TokenValidator"
)

/**
 * A layer providing a {@link TokenValidator}.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as Redacted from "effect/Redacted"
 * import * as ServerAuthentication from "@mbauth/core/ServerAuthentication"
 *
 * const sessions = new Map([["0123456789abcdef0123456789abcdef", "user-1"]])
 * const Tokens = ServerAuthentication.layerTokenValidator((credentials) => {
 *   const userId = sessions.get(Redacted.value(credentials.token))
 *   return userId === undefined
 *     ? Effect.fail(new ServerAuthentication.TokenRejected({ reason: "Invalid token." }))
 *     : Effect.succeed(ServerAuthentication.Principal.User({ userId }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTokenValidator = (validate: TokenValidator["validate"]): Layer.Layer<TokenValidator> =>
  Layer.succeed(TokenValidator, { validate })

/**
 * A validator over a fixed table of tokens (exact, case-sensitive match, as Jellyfin compares them).
 *
 * @since 0.1.0
 * @category constructors
 */
export const tokenValidatorFromEntries = (
  entries: Iterable<readonly [token: string | Redacted.Redacted<string>, principal: Principal]>
): TokenValidator => {
  const table = new Map<string, Principal>()
  for (const [token, principal] of entries) {
    table.set(Redacted.isRedacted(token) ? Redacted.value(token) : token, principal)
  }
  return {
    validate: (credentials) => {
      const principal = table.get(Redacted.value(credentials.token))
      return principal === undefined
        ? Effect.fail(new TokenRejected({ reason: "Invalid token." }))
        : Effect.succeed(principal)
    }
  }
}

/**
 * A layer providing {@link tokenValidatorFromEntries}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTokenValidatorFromEntries = (
  entries: Iterable<readonly [token: string | Redacted.Redacted<string>, principal: Principal]>
): Layer.Layer<TokenValidator> => Layer.succeed(TokenValidator, tokenValidatorFromEntries(entries))

/**
 * The `WWW-Authenticate` challenge sent with every 401.
 *
 * @since 0.1.0
 * @category constants
 */
export const challenge = "MediaBrowser"

/**
 * The request is not authenticated: it carries no token the profile reads (`"NoToken"`, which
 * includes tokens in transports the profile ignores and whitespace-only tokens), or the validator
 * rejected it (`"InvalidToken"`). Renders as `401` with `WWW-Authenticate: MediaBrowser` and a JSON
 * body `{ "_tag": "Unauthorized", "reason": … }`; an invalid token never falls back to another
 * transport, as on the real servers.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("@mbauth/core/ServerAuthentication/Unauthorized")(
  "Unauthorized",
  { reason: Schema.Literal("NoToken", "InvalidToken") },
  HttpApiSchema.annotations({ status: 401, description: "The request is not authenticated" })
) implements HttpServerRespondable.Respondable {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason === "NoToken" ? "Authentication required" : "Invalid token"
  }

  /**
   * @since 0.1.0
   */
  [HttpServerRespondable.symbol](): Effect.Effect<HttpServerResponse.HttpServerResponse> {
    return Effect.succeed(
      HttpServerResponse.unsafeJson({ _tag: "Unauthorized", reason: this.reason }, {
        status: 401,
        headers: { "www-authenticate": challenge }
      })
    )
  }
}

/**
 * Authenticates the current request: reads its credentials as the profile does and checks the token
 * with the {@link TokenValidator}.
 *
 * @since 0.1.0
 * @category authentication
 */
export const authenticate = (options: Options): Effect.Effect<
  Authenticated,
  Unauthorized,
  HttpServerRequest.HttpServerRequest | TokenValidator
> =>
  // No span of its own: it runs on every request, inside the server's request span, which it
  // annotates with the transport.
  Effect.flatMap(
    Effect.context<HttpServerRequest.HttpServerRequest | TokenValidator>(),
    (context) => authenticateIn(context, Context.get(context, TokenValidator), options)
  )

// Authenticates the request of `context` (the current fiber's): the spans the server's tracer
// recorded are scrubbed and the request span annotated in place, with no effect step of their own
// (each step costs every request).
const authenticateIn = (
  context: Context.Context<HttpServerRequest.HttpServerRequest>,
  validator: TokenValidator,
  options: Options
): Effect.Effect<Authenticated, Unauthorized> => {
  const span = Context.getOption(context, Tracer.ParentSpan)
  scrubSpans(span)
  const request = Context.get(context, HttpServerRequest.HttpServerRequest)
  return Effect.matchEffect(
    Credentials.extract(request, { profile: options.profile, legacy: options.legacy, ambiguous: "first" }),
    {
      onFailure: (error) => unauthorized("NoToken", error.message),
      onSuccess: (credentials) => {
        if (Option.isSome(span) && span.value._tag === "Span") {
          span.value.attribute("mediabrowser.auth.transport", credentials.transport)
        }
        return Effect.matchEffect(validator.validate(credentials), {
          onFailure: (error) => unauthorized("InvalidToken", `token rejected: ${error.reason}`),
          onSuccess: (principal) => Effect.succeed({ credentials, principal })
        })
      }
    }
  )
}

// The server ignores what it does not read without saying so; so does the response. The reason goes
// to the debug log only (it names transports, never values).
const unauthorized = (reason: Unauthorized["reason"], why: string): Effect.Effect<never, Unauthorized> =>
  Effect.zipRight(Effect.logDebug(`MediaBrowser authentication: ${why}`), Effect.fail(new Unauthorized({ reason })))

/**
 * An `HttpServer` middleware: authenticated requests reach `app` with {@link Authenticated} and
 * `Credentials.Credentials` provided; the others get `401` with `WWW-Authenticate: MediaBrowser`.
 * Apply it to a whole app or to single route handlers.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (options: Options) =>
<E, R>(
  app: HttpApp.Default<E, R>
): HttpApp.Default<E, Exclude<R, Authenticated | Credentials.Credentials> | TokenValidator> =>
  Effect.matchEffect(authenticate(options), {
    onFailure: (error) => HttpServerRespondable.toResponse(error),
    // Both services in one change of the context (each change is a fiber-ref update per request).
    onSuccess: (authenticated) =>
      Effect.provide(
        app,
        Context.make(Authenticated, authenticated).pipe(Context.add(Credentials.Credentials, authenticated.credentials))
      )
  })

/**
 * The `HttpApiSecurity` the {@link HttpApiAuthentication} middleware declares. OpenAPI has no way to
 * describe the MediaBrowser scheme, so it is declared as an API key in the `Authorization` header
 * with a description; the middleware reads every transport the profile reads regardless.
 *
 * @since 0.1.0
 * @category http api
 */
export const security: HttpApiSecurity.ApiKey = HttpApiSecurity.apiKey({ key: "Authorization", in: "header" }).pipe(
  HttpApiSecurity.annotate(
    OpenApi.Description,
    "MediaBrowser scheme: `Authorization: MediaBrowser Token=\"<token>\", Client=\"…\", Version=\"…\", " +
      "DeviceId=\"…\", Device=\"…\"`; the `ApiKey` query parameter is also accepted."
  )
)

/**
 * `HttpApi` middleware: add it to an API, group or endpoint with `.middleware(HttpApiAuthentication)`
 * and provide {@link layerHttpApi}. Handlers read {@link Authenticated}.
 *
 * @example
 * ```ts
 * import * as HttpApi from "@effect/platform/HttpApi"
 * import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
 * import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
 * import * as Schema from "effect/Schema"
 * import * as ServerAuthentication from "@mbauth/core/ServerAuthentication"
 *
 * class Users extends HttpApiGroup.make("users")
 *   .add(HttpApiEndpoint.get("me", "/Users/Me").addSuccess(Schema.Struct({ userId: Schema.String })))
 *   .middleware(ServerAuthentication.HttpApiAuthentication) {}
 *
 * class Api extends HttpApi.make("api").add(Users) {}
 * // HttpApiBuilder.api(Api).pipe(Layer.provide(ServerAuthentication.layerHttpApi({ profile: "jellyfin-12" })), …)
 * ```
 *
 * @since 0.1.0
 * @category http api
 */
export class HttpApiAuthentication extends HttpApiMiddleware.Tag<HttpApiAuthentication>()(
  "@mbauth/core/ServerAuthentication/HttpApiAuthentication",
  { failure: Unauthorized, provides: Authenticated, security: { mediaBrowser: security } }
) {}

/**
 * Implements {@link HttpApiAuthentication} for `options`, and adds the API-level middleware that
 * answers {@link Unauthorized} with its `WWW-Authenticate: MediaBrowser` challenge (HttpApi's own
 * error encoding has no way to set a response header).
 *
 * @since 0.1.0
 * @category http api
 */
export const layerHttpApi = (options: Options): Layer.Layer<HttpApiAuthentication, never, TokenValidator> =>
  Layer.merge(
    Layer.effect(
      HttpApiAuthentication,
      Effect.map(TokenValidator, (validator) =>
        HttpApiAuthentication.of({
          // The decoded `Authorization` value is not enough: the profile may read other transports.
          mediaBrowser: (_authorization) =>
            Effect.flatMap(
              Effect.context<HttpServerRequest.HttpServerRequest>(),
              (context) => authenticateIn(context, validator, options)
            )
        }))
    ),
    HttpApiBuilder.middleware((app) =>
      // The API-level middleware type says `app` cannot fail, but middleware failures pass through it
      // before HttpApi encodes them; catching only `Unauthorized` keeps the type honest.
      Effect.catchIf(
        app as HttpApp.Default<unknown>,
        (error: unknown): error is Unauthorized => error instanceof Unauthorized,
        (error) => HttpServerRespondable.toResponse(error)
      ) as HttpApp.Default
    )
  )

/**
 * The legacy switch a server with this profile applies: `legacy` when given, else the profile's
 * default. Profiles without the switch (Jellyfin 10.10 and older) accept every legacy method, so
 * they report `true` whatever `legacy` says.
 *
 * @since 0.1.0
 * @category authentication
 */
export const resolveLegacy: (profile: Credentials.ProfileName, legacy?: boolean | undefined) => boolean = (
  profile,
  legacy
) => resolveLegacyOf(profile, legacy)
