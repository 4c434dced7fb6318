package io.stockroom.api;

import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.ratelimit.RateLimiter;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.platform.ratelimit.RatePolicy;
import io.stockroom.platform.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.UserContextInternal;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rate limits at the HTTP edge, before any work: it runs ahead of the router's security and validation handlers,
 * so a refused request costs one token check and one Redis call, not a schema validation. Requests with a bearer token
 * that verifies draw from their tenant's and their user's buckets (and pass when Redis is down); requests to the
 * public operations, and requests whose token does not verify (a guessing or forging flood), draw from their client
 * address's bucket (public operations are refused when Redis is down). The token is verified here, before a bucket
 * is charged (unverified claims would let anyone drain another tenant's), and the verified user is handed to the
 * router's security handler, which then does not verify it again. Every limited answer carries the IETF draft headers {@code RateLimit-Policy} (every bucket's quota
 * and window) and {@code RateLimit} (the tightest bucket's remaining requests and seconds until it is full); a refused
 * one is a 429 problem with {@code Retry-After}.
 */
final class RateLimits {
  private static final String BEARER_PREFIX = "Bearer ";
  private final RateLimiter limiter;
  private final RatePolicy policy;

  RateLimits(RateLimiter limiter, RatePolicy policy) {
    this.limiter = limiter;
    this.policy = policy;
  }

  /**
   * The root handler. {@code publicPaths}: the paths of the operations anyone may call, each with what to do when
   * Redis is down (refuse sign-in; let logout and the public keys through).
   */
  Handler<RoutingContext> beforeValidation(JWTAuth jwt, Map<String, WhenDown> publicPaths) {
    return ctx -> {
      if (!policy.enabled()) {
        ctx.next();
        return;
      }
      String authorization = ctx.request().getHeader("Authorization");
      Future<Void> checked;
      if (authorization == null) {
        WhenDown whenDown = publicPaths.get(ctx.request().path());
        checked = whenDown != null ? checkAddress(ctx, whenDown) : Future.succeededFuture();
      } else {
        checked = jwt.authenticate(new TokenCredentials(authorization.substring(BEARER_PREFIX.length())))
          .map(user -> {
            // The router's JWT handler takes a user already on the context as authenticated: the token is verified once.
            ((UserContextInternal) ctx.userContext()).setUser(user);
            return Authorizer.caller(user);
          })
          .otherwiseEmpty()
          .compose(caller -> caller != null ? checkCaller(ctx, caller) : checkAddress(ctx, WhenDown.ALLOW));
      }
      checked.onSuccess(allowed -> ctx.next()).onFailure(ctx::fail);
    };
  }

  private Future<Void> checkCaller(RoutingContext ctx, Caller caller) {
    return check(ctx, policy.forCaller(caller.tenantId(), caller.userId()), WhenDown.ALLOW);
  }

  private Future<Void> checkAddress(RoutingContext ctx, WhenDown whenDown) {
    return check(ctx, policy.forAddress(ClientAddress.of(ctx)), whenDown);
  }

  private Future<Void> check(RoutingContext ctx, List<Bucket> buckets, WhenDown whenDown) {
    return limiter.take(buckets, whenDown).compose(decision -> {
      if (!decision.unchecked()) writeHeaders(ctx.response(), decision);
      if (decision.allowed()) return Future.succeededFuture();
      Meters.rateLimited(decision.buckets().get(decision.tightest()).name());
      return Future.failedFuture(decision.refusal());
    });
  }

  static void writeHeaders(HttpServerResponse response, Decision decision) {
    response.putHeader("RateLimit-Policy", decision.buckets().stream()
      .map(b -> "\"" + b.name() + "\";q=" + b.quota() + ";w=" + b.windowSeconds())
      .collect(Collectors.joining(", ")));
    int tightest = decision.tightest();
    long remaining = decision.allowed() ? decision.remaining().get(tightest) : 0;
    long resetMs = decision.allowed() ? decision.resetMs().get(tightest) : decision.retryAfterMs();
    response.putHeader("RateLimit", "\"" + decision.buckets().get(tightest).name() + "\";r=" + remaining
      + ";t=" + Math.max(1, (resetMs + 999) / 1000));
  }
}
