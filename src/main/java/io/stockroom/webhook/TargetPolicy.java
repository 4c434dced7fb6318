package io.stockroom.webhook;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where webhooks may be sent: {@code http} or {@code https} URLs without credentials, whose host resolves only to
 * public addresses. {@code webhooks.allowPrivateTargets} also allows loopback and private addresses, never link-local
 * or cloud metadata ones. An IPv6 address that embeds an IPv4 address (IPv4-compatible, IPv4-mapped, SIIT, NAT64,
 * 6to4, Teredo) is judged by the IPv4 address it embeds. Checked when an endpoint is saved and again before every
 * attempt, which then connects to the address checked (the name may resolve differently later).
 */
final class TargetPolicy {
  /** What an address is, from the most to the least reachable by webhooks. */
  enum AddressClass {
    PUBLIC,
    /**
     * Loopback, private, unspecified, multicast, documentation, benchmarking, reserved: allowed by
     * {@code webhooks.allowPrivateTargets}.
     */
    PRIVATE,
    /** Link-local and cloud metadata: never allowed. */
    LINK_LOCAL_OR_METADATA
  }

  /** A checked URL and the address an attempt connects to (null for a saved URL whose name did not resolve). */
  record Target(URI uri, InetSocketAddress address) {}

  /** Resolves a host name or literal to its addresses (blocking). */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** Metadata services outside the link-local ranges: AWS's IPv6 one, Alibaba Cloud's, Oracle Cloud's older one. */
  private static final List<InetAddress> METADATA = List.of(literal("fd00:ec2::254"), literal("100.100.100.200"),
    literal("192.0.0.192"));

  /**
   * Blocks not reachable on the public internet (IANA's special-purpose address registries), besides those
   * {@link InetAddress} recognises itself: unspecified, loopback, RFC 1918 and fec0::/10 site-local, multicast.
   */
  private static final List<Prefix> RESERVED = Stream.of(
    "0.0.0.0/8",        // "this network"
    "100.64.0.0/10",    // carrier-grade NAT
    "192.0.0.0/24",     // IETF protocol assignments
    "192.0.2.0/24",     // documentation (TEST-NET-1)
    "198.18.0.0/15",    // benchmarking
    "198.51.100.0/24",  // documentation (TEST-NET-2)
    "203.0.113.0/24",   // documentation (TEST-NET-3)
    "240.0.0.0/4",      // reserved, and the broadcast address 255.255.255.255
    "100::/64",         // discard-only
    "2001:2::/48",      // benchmarking
    "2001:10::/28",     // ORCHID (deprecated)
    "2001:db8::/32",    // documentation
    "3fff::/20",        // documentation
    "5f00::/16",        // SRv6 segment identifiers
    "fc00::/7"          // unique local
  ).map(Prefix::parse).toList();

  private final Vertx vertx;
  private final boolean allowPrivate;
  private final Resolver resolver;

  TargetPolicy(Vertx vertx, boolean allowPrivate) {
    this(vertx, allowPrivate, InetAddress::getAllByName);
  }

  TargetPolicy(Vertx vertx, boolean allowPrivate, Resolver resolver) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /**
   * The URL of an endpoint being saved, checked; a 400 when it is not an absolute http(s) URL or names an address
   * webhooks may not go to. With private targets allowed, a name that does not resolve (yet) is accepted: every
   * attempt checks what it resolves to then.
   */
  Future<URI> check(String url) {
    return checked(url, allowPrivate).map(Target::uri);
  }

  /** The URL checked, with the first of its host's addresses: an attempt connects there without resolving again. */
  Future<Target> target(String url) {
    return checked(url, false);
  }

  private Future<Target> checked(String url, boolean unresolvedAllowed) {
    if (url == null) return ServiceError.fail(ErrorCode.VALIDATION, "url is required");
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
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return vertx.executeBlocking(() -> resolver.resolve(host), false)
      .recover(err -> err instanceof UnknownHostException ? Future.succeededFuture(new InetAddress[0]) : Future.failedFuture(err))
      .compose(addresses -> {
        if (addresses.length == 0) {
          return unresolvedAllowed ? Future.succeededFuture(new Target(uri, null))
            : ServiceError.fail(ErrorCode.VALIDATION, "url's host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
          AddressClass addressClass = classify(address);
          if (addressClass == AddressClass.LINK_LOCAL_OR_METADATA) {
            return ServiceError.<Target>fail(ErrorCode.VALIDATION, "url's host " + host + " resolves to a link-local or "
              + "cloud metadata address; webhooks never go there");
          }
          if (addressClass == AddressClass.PRIVATE && !allowPrivate) {
            return ServiceError.<Target>fail(ErrorCode.VALIDATION, "url's host " + host + " resolves to a private, loopback or "
              + "link-local address; webhooks go to public addresses only");
          }
        }
        return Future.succeededFuture(new Target(uri, new InetSocketAddress(addresses[0], port)));
      });
  }

  static boolean isPublic(InetAddress address) {
    return classify(address) == AddressClass.PUBLIC;
  }

  static AddressClass classify(InetAddress address) {
    if (address.isLinkLocalAddress() || METADATA.contains(address)) return AddressClass.LINK_LOCAL_OR_METADATA;
    if (address instanceof Inet6Address ipv6) {
      List<Inet4Address> embedded = embeddedIpv4(ipv6);
      if (!embedded.isEmpty()) {
        AddressClass worst = isNat64LocalUse(ipv6.getAddress()) ? AddressClass.PRIVATE : AddressClass.PUBLIC;
        for (Inet4Address ipv4 : embedded) {
          AddressClass addressClass = classify(ipv4);
          if (addressClass.compareTo(worst) > 0) worst = addressClass;
        }
        return worst;
      }
    }
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isMulticastAddress()
      || RESERVED.stream().anyMatch(prefix -> prefix.contains(address))) {
      return AddressClass.PRIVATE;
    }
    return AddressClass.PUBLIC;
  }

  /**
   * The IPv4 addresses an IPv6 address embeds, where a packet to it may end up: none for a plain IPv6 address. The
   * local-use NAT64 prefix 64:ff9b:1::/48 may be split at /48, /56, /64 or /96 (RFC 6052), so each of those positions
   * counts.
   */
  static List<Inet4Address> embeddedIpv4(Inet6Address address) {
    byte[] b = address.getAddress();
    List<Inet4Address> embedded = new ArrayList<>();
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) return embedded;  // ::1 and :: are not ::/96 forms
    if (zero(b, 0, 12)) {                                                             // IPv4-compatible ::a.b.c.d
      embedded.add(ipv4(b[12], b[13], b[14], b[15]));
    } else if (zero(b, 0, 10) && ff(b, 10, 12)) {                                     // IPv4-mapped ::ffff:a.b.c.d
      embedded.add(ipv4(b[12], b[13], b[14], b[15]));
    } else if (zero(b, 0, 8) && ff(b, 8, 10) && zero(b, 10, 12)) {                    // SIIT ::ffff:0:a.b.c.d
      embedded.add(ipv4(b[12], b[13], b[14], b[15]));
    } else if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && zero(b, 4, 12)) {             // NAT64 64:ff9b::/96
      embedded.add(ipv4(b[12], b[13], b[14], b[15]));
    } else if (isNat64LocalUse(b)) {                                                  // NAT64 64:ff9b:1::/48
      embedded.add(ipv4(b[6], b[7], b[9], b[10]));
      embedded.add(ipv4(b[7], b[9], b[10], b[11]));
      embedded.add(ipv4(b[9], b[10], b[11], b[12]));
      embedded.add(ipv4(b[12], b[13], b[14], b[15]));
    } else if (startsWith(b, 0x20, 0x02)) {                                           // 6to4 2002:a.b.c.d::/48
      embedded.add(ipv4(b[2], b[3], b[4], b[5]));
    } else if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) {                               // Teredo 2001::/32, client inverted
      embedded.add(ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
    }
    return embedded;
  }

  private static boolean isNat64LocalUse(byte[] b) {
    return b.length == 16 && startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01);
  }

  /** An address block in CIDR notation, such as {@code 192.0.2.0/24}. */
  private record Prefix(byte[] network, int bits) {
    static Prefix parse(String cidr) {
      int slash = cidr.indexOf('/');
      return new Prefix(literal(cidr.substring(0, slash)).getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) return false;
      int wholeBytes = bits / 8;
      for (int i = 0; i < wholeBytes; i++) if (b[i] != network[i]) return false;
      int mask = (0xff00 >> (bits % 8)) & 0xff;
      return mask == 0 || (b[wholeBytes] & mask) == (network[wholeBytes] & mask);
    }
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] != 0) return false;
    return true;
  }

  private static boolean ff(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if ((b[i] & 0xff) != 0xff) return false;
    return true;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    for (int i = 0; i < prefix.length; i++) if ((b[i] & 0xff) != prefix[i]) return false;
    return true;
  }

  private static Inet4Address ipv4(byte a, byte b, byte c, byte d) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);  // four bytes are always an IPv4 address
    }
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
