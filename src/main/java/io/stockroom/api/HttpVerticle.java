package io.stockroom.api;

import io.stockroom.auth.JwtKeys;
import io.stockroom.auth.SessionCache;
import io.stockroom.platform.bus.BusCodecs;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.RequestIds;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.contract.OpenApiDocument;
import io.stockroom.platform.eventloop.SharedResults;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.platform.ratelimit.Leasing;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.platform.ratelimit.RateLimiter;
import io.stockroom.platform.ratelimit.RatePolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.handler.LoggerFormat;
import io.vertx.ext.web.handler.LoggerHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.handler.CorsHandler;

import java.net.BindException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The HTTP edge, one instance per core: routes and validates every request from {@code openapi.yaml}, authenticates
 * the bearer JWT, enforces the role matrix and forwards to the service verticles over the event bus. It holds no
 * business logic and touches no collection.
 */
public class HttpVerticle extends VerticleBase {
  private static final String JWKS_OPERATION = "getJwks";

  private final Future<OpenAPIContract> contract;
  private RateLimiter limiter;

  /** Loads {@link OpenApiDocument#PATH} itself. */
  public HttpVerticle() {
    this(null);
  }

  /** Uses a contract loaded once for every instance (loading it is most of an instance's start). */
  public HttpVerticle(Future<OpenAPIContract> contract) {
    this.contract = contract;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    SecurityHeaders headers = SecurityHeaders.of(settings);
    BusCodecs.register(vertx);
    // made here, on this verticle's event loop, which its leases and shared calls are confined to
    limiter = new RateLimiter(vertx, Storage.redis(vertx, settings), settings.integer(ConfigKey.REDIS_COMMAND_TIMEOUT_MS),
      Leasing.of(settings));
    Future<OpenAPIContract> contractHere = SharedResults.onCurrentContext(contract != null ? contract
      : ContractLoader.load(vertx, OpenApiDocument.read(vertx, OpenApiDocument.PATH)));
    return Future.all(JwtKeys.load(vertx, settings), contractHere)
      .map(deps -> router(settings, deps.resultAt(0), deps.resultAt(1)))
      .compose(router -> vertx.createHttpServer(serverOptions())
        .requestHandler(headers.around(RequestGuard.wrap(router)))
        .invalidRequestHandler(headers.around(RequestGuard::undecodable))
        .listen(settings.integer(ConfigKey.HTTP_PORT), settings.string(ConfigKey.HTTP_HOST))
        .recover(err -> Future.failedFuture(err instanceof BindException
          ? new ConfigException("Cannot listen on " + settings.string(ConfigKey.HTTP_HOST) + ":" + settings.integer(ConfigKey.HTTP_PORT)
            + " (" + err.getMessage() + "): stop what uses it, or choose another port with " + ConfigKey.HTTP_PORT.envName())
          : err)));
  }

  /** Unused leased rate-limit tokens go back to Redis. */
  @Override
  public Future<?> stop() {
    return limiter == null ? Future.succeededFuture() : limiter.close();
  }

  private Router router(Settings settings, JwtKeys.KeyRing keys, OpenAPIContract contract) {
    JWTAuth jwt = keys.verifier();
    RateLimits limits = new RateLimits(limiter, RatePolicy.of(settings));
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    RequestValidation validation = new RequestValidation(vertx, contract, extractor);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, extractor)
      .rootHandler(bodyHandler(settings))
      .rootHandler(RequestGuard::strictJsonBody)
      .rootHandler(limits.beforeValidation(jwt, publicPaths(contract)));
    builder.security("bearerAuth").httpHandler(JWTAuthHandler.create(jwt));

    BusForwarder forwarder = new BusForwarder(vertx.eventBus(), settings.integer(ConfigKey.BUS_TIMEOUT_MS));
    Sessions sessions = new Sessions(vertx.eventBus(), settings.integer(ConfigKey.BUS_TIMEOUT_MS));
    SessionCache.listen(vertx);
    StreamForwarder streamer = new StreamForwarder(vertx.eventBus(), settings.integer(ConfigKey.BUS_TIMEOUT_MS));
    Authorizer authorizer = new Authorizer(sessions);
    for (Operation operation : Operation.values()) {
      OpenAPIRoute route = requireRoute(builder, validation, operation.operationId());
      if (!operation.isPublic()) route.addHandler(authorizer.forOperation(operation));
      route.addHandler(operation.streamed() ? streamer.to(operation)
        : operation.rawBody() ? forwarder.withRawBody(operation) : forwarder.to(operation));
    }
    requireRoute(builder, validation, JWKS_OPERATION).addHandler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "public, max-age=300").end(keys.jwks().encode()));
    // also on the management port (ManagementVerticle), with the metrics; here for local use
    Probes probes = new Probes(vertx);
    requireRoute(builder, validation, "getLiveness").addHandler(probes::liveness);
    requireRoute(builder, validation, "getReadiness").addHandler(probes::readiness);
    requireRoute(builder, validation, "getOpenApiDocument").addHandler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/yaml").sendFile(OpenApiDocument.PATH));

    Router api = builder.createRouter();
    api.route().failureHandler(Problems::handle);

    Router root = Router.router(vertx);
    if (settings.bool(ConfigKey.HTTP_TRUST_FORWARDED_HEADERS)) {
      root.allowForward(AllowForwardHeaders.ALL);
      api.allowForward(AllowForwardHeaders.ALL);
    }
    Lifecycle lifecycle = Lifecycle.of(vertx);
    root.route().order(-1).handler(ctx -> {
      String requestId = RequestIds.choose(ctx.request().getHeader(RequestIds.HEADER));
      RequestIds.bind(requestId);
      ctx.response().putHeader(RequestIds.HEADER, requestId);
      if (ctx.request().path().startsWith("/eventbus/")) {
        ctx.next();  // bridge sockets are long-lived: they close when the server stops, not when draining ends
        return;
      }
      if (lifecycle.draining() && !ctx.request().path().startsWith("/health/")) {
        ctx.response().putHeader("Connection", "close");
        Problems.write(ctx, new ServiceError(ErrorCode.UNAVAILABLE, "This instance is shutting down; retry",
          new JsonObject().put("retryAfterSeconds", 1)));
        return;
      }
      lifecycle.accepted();
      ctx.addEndHandler(ended -> lifecycle.finished());
      ctx.next();
    });
    Handler<RoutingContext> cors = cors(settings);
    if (cors != null) root.routeWithRegex("^/(?!eventbus/).*").handler(cors);
    root.route("/eventbus/*").subRouter(new StockBridge(vertx, jwt, sessions, settings.string(ConfigKey.BRIDGE_ALLOWED_ORIGINS)).router());
    root.route()
      .handler(LoggerHandler.create(LoggerFormat.SHORT))
      .handler(TimeoutHandler.create(settings.integer(ConfigKey.HTTP_REQUEST_TIMEOUT_MS), 503));
    root.getWithRegex("^/(index\\.html)?$").handler(HttpVerticle::contentSecurityPolicy)
      .handler(StaticHandler.create("webroot").setIndexPage("index.html"));
    root.get("/assets/*").handler(HttpVerticle::contentSecurityPolicy).handler(StaticHandler.create("webroot/assets"));
    root.route("/*").subRouter(api);
    root.route().failureHandler(Problems::handle);
    for (ErrorCode code : new ErrorCode[] {ErrorCode.NOT_FOUND, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL}) {
      root.errorHandler(code.status(), Problems::handle);
      api.errorHandler(code.status(), Problems::handle);
    }
    Handler<RoutingContext> methodNotAllowed = ctx -> {
      allowedMethods(contract, ctx.request().path()).ifPresent(allowed -> ctx.response().putHeader("Allow", allowed));
      Problems.handle(ctx);
    };
    root.errorHandler(ErrorCode.METHOD_NOT_ALLOWED.status(), methodNotAllowed);
    api.errorHandler(ErrorCode.METHOD_NOT_ALLOWED.status(), methodNotAllowed);
    return root;
  }

  /** The methods the contract offers on {@code path}, for the {@code Allow} header a 405 must carry (RFC 9110). */
  static Optional<String> allowedMethods(OpenAPIContract contract, String path) {
    io.vertx.openapi.contract.Path declared = contract.findPath(path);
    if (declared == null) return Optional.empty();
    return Optional.of(declared.getOperations().stream().map(op -> op.getHttpMethod().name()).sorted()
      .collect(Collectors.joining(", ")));
  }

  /** Request bodies up to {@code http.bodyLimitBytes}; an import file up to {@code imports.maxBytes}. Larger: 413. */
  private static io.vertx.core.Handler<RoutingContext> bodyHandler(Settings settings) {
    BodyHandler api = BodyHandler.create(false).setBodyLimit(settings.integer(ConfigKey.HTTP_BODY_LIMIT_BYTES));
    BodyHandler files = BodyHandler.create(false).setBodyLimit(settings.integer(ConfigKey.IMPORTS_MAX_BYTES));
    return ctx -> (RequestGuard.isFileUpload(ctx) ? files : api).handle(ctx);
  }

  /** Cross-origin API calls from the configured origins only; none by default (browsers then refuse them). */
  private static Handler<RoutingContext> cors(Settings settings) {
    List<String> origins = Arrays.stream(settings.string(ConfigKey.HTTP_CORS_ALLOWED_ORIGINS).split(","))
      .map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    if (origins.isEmpty()) return null;
    return CorsHandler.create().addOrigins(origins)
      .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
      .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", RequestIds.HEADER))
      .exposedHeaders(Set.of("RateLimit", "RateLimit-Policy", "Retry-After", RequestIds.HEADER, "Location", BearerChallenge.HEADER))
      .maxAgeSeconds(600);
  }

  /** The UI loads only its own scripts and talks only to this origin (API and bridge). */
  private static void contentSecurityPolicy(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    ctx.next();
  }

  /**
   * The paths anyone may call that are rate limited per client address (not the probes or the contract), and
   * whether they are refused while the limiter cannot reach Redis: sign-up, login and refresh are (guessing must stay
   * throttled); logout and the public keys are not.
   */
  private static Map<String, WhenDown> publicPaths(OpenAPIContract contract) {
    Map<String, WhenDown> paths = new HashMap<>();
    paths.put(contract.operation(JWKS_OPERATION).getOpenAPIPath(), WhenDown.ALLOW);
    for (Operation operation : Operation.values()) {
      if (operation.isPublic()) {
        paths.put(contract.operation(operation.operationId()).getOpenAPIPath(), operation == Operation.LOGOUT ? WhenDown.ALLOW : WhenDown.REFUSE);
      }
    }
    return Map.copyOf(paths);
  }

  /** The operation's route, validated by {@link RequestValidation} before any handler added to it. */
  private static OpenAPIRoute requireRoute(RouterBuilder builder, RequestValidation validation, String operationId) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    return route.setDoValidation(false).addHandler(validation.forOperation(route.getOperation()));
  }

  private static HttpServerOptions serverOptions() {
    return new HttpServerOptions()
      .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
      .setMaxHeaderSize(16 * 1024)
      .setMaxInitialLineLength(RequestGuard.MAX_URI_LENGTH + 64)
      .setCompressionSupported(true);
  }
}
