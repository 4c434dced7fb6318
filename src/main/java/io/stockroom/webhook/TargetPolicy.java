package io.stockroom.webhook;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may be sent: {@code http} or {@code https} URLs without credentials, whose host resolves only to
 * public addresses, unless private targets are allowed. Checked when an endpoint is saved and again before every
 * attempt (the name may resolve differently later).
 */
final class TargetPolicy {
  private final Vertx vertx;
  private final boolean allowPrivate;

  TargetPolicy(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  /** The URL, checked; a 400 when it is not an absolute http(s) URL or names a non-public address. */
  Future<URI> check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return ServiceError.fail(ErrorCode.VALIDATION, "url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return ServiceError.fail(ErrorCode.VALIDATION, "url must be an absolute http or https URL with a host");
    }
    if (uri.getRawUserInfo() != null) return ServiceError.fail(ErrorCode.VALIDATION, "url must not carry credentials");
    if (allowPrivate) return Future.succeededFuture(uri);
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false)
      .recover(err -> Future.failedFuture(err instanceof UnknownHostException
        ? new ServiceError(ErrorCode.VALIDATION, "url's host " + host + " does not resolve") : err))
      .compose(addresses -> {
        for (InetAddress address : addresses) {
          if (!isPublic(address)) {
            return ServiceError.<URI>fail(ErrorCode.VALIDATION, "url's host " + host + " resolves to a private, loopback or "
              + "link-local address; webhooks go to public addresses only");
          }
        }
        return Future.succeededFuture(uri);
      });
  }

  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
      || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0 || first >= 240) return false;                      // "this network", reserved, broadcast
      if (first == 100 && second >= 64 && second <= 127) return false;   // carrier-grade NAT 100.64.0.0/10
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) return false; // IETF protocol assignments
      if (first == 198 && (second == 18 || second == 19)) return false;  // benchmarking
      return true;
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) return false;                           // unique local fc00::/7
      boolean mapped = true;
      for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {  // IPv4-mapped: judge the IPv4 address
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }
}
