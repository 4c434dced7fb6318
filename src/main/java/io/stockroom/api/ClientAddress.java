package io.stockroom.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * The client's address as the router sees it: the socket's peer, or, with {@code http.trustForwardedHeaders}, the
 * address a trusted proxy put in {@code Forwarded} / {@code X-Forwarded-For}. It keys per-address limits and is the
 * "from where" of the audit log.
 */
final class ClientAddress {
  static final String UNKNOWN = "unknown";

  private ClientAddress() {
  }

  static String of(RoutingContext ctx) {
    SocketAddress address = ctx.request().remoteAddress();
    if (address == null) return UNKNOWN;
    String host = address.hostAddress() != null ? address.hostAddress() : address.host();
    return host == null || host.isBlank() ? UNKNOWN : host;
  }
}
