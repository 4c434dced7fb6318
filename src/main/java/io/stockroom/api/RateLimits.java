package io.stockroom.api;

import io.stockroom.platform.metrics.Meters;
import io.stockroom.platform.ratelimit.RateLimiter;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.platform.ratelimit.RatePolicy;
import io.stockroom.platform.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The rate limits at the HTTP edge, before any work: authenticated requests draw from their tenant's and their user's
 * buckets (and pass when Redis is down), unauthenticated ones from their client address's bucket (and are refused when
 * Redis is down). Every limited answer carries the IETF draft headers {@code RateLimit-Policy} (every bucket's quota
 * and window) and {@code RateLimit} (the tightest bucket's remaining requests and seconds until it is full); a refused
 * one is a 429 problem with {@code Retry-After}.
 */
final class RateLimits {
  private final RateLimiter limiter;
  private final RatePolicy policy;

  RateLimits(RateLimiter limiter, RatePolicy policy) {
    this.limiter = limiter;
    this.policy = policy;
  }

  Future<Void> checkCaller(RoutingContext ctx, Caller caller) {
    if (!policy.enabled()) return Future.succeededFuture();
    return check(ctx, policy.forCaller(caller.tenantId(), caller.userId()), WhenDown.ALLOW);
  }

  Future<Void> checkAddress(RoutingContext ctx) {
    if (!policy.enabled()) return Future.succeededFuture();
    return check(ctx, policy.forAddress(ClientAddress.of(ctx)), WhenDown.REFUSE);
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
