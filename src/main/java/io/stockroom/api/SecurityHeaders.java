package io.stockroom.api;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The headers every answer carries, set before routing so that requests refused before the router (an over-long URI,
 * a malformed escape or header) carry them too: no MIME sniffing, no referrer, no framing, a CSP that allows nothing
 * (the page at / replaces it with its own), no caching, and HSTS when the service is reached over TLS. The bridge's
 * SockJS transports keep their own framing and caching rules.
 */
final class SecurityHeaders {
  private final String hsts;

  private SecurityHeaders(int hstsMaxAgeSeconds) {
    this.hsts = hstsMaxAgeSeconds > 0 ? "max-age=" + hstsMaxAgeSeconds + "; includeSubDomains" : null;
  }

  static SecurityHeaders of(Settings settings) {
    return new SecurityHeaders(settings.integer(ConfigKey.HTTP_HSTS_MAX_AGE_SECONDS));
  }

  void apply(HttpServerRequest request) {
    var response = request.response();
    response.putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
    if (hsts != null) response.putHeader("Strict-Transport-Security", hsts);
    if (!request.path().startsWith("/eventbus/")) {
      response.putHeader("Cache-Control", "no-store").putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
  }

  /** Wraps a request handler: the headers first, then the handler. */
  Handler<HttpServerRequest> around(Handler<HttpServerRequest> handler) {
    return request -> {
      apply(request);
      handler.handle(request);
    };
  }
}
