package io.stockroom.webhook;

import io.stockroom.platform.bus.ServiceError;
import io.stockroom.webhook.TargetPolicy.AddressClass;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetPolicyTest {
  /** Embedded IPv4 addresses and the class every transition form embedding them must get. */
  private static final Map<String, AddressClass> EMBEDDED = new LinkedHashMap<>();

  static {
    EMBEDDED.put("127.0.0.1", AddressClass.PRIVATE);
    EMBEDDED.put("10.1.2.3", AddressClass.PRIVATE);
    EMBEDDED.put("172.16.0.1", AddressClass.PRIVATE);
    EMBEDDED.put("192.168.1.1", AddressClass.PRIVATE);
    EMBEDDED.put("0.0.0.0", AddressClass.PRIVATE);
    EMBEDDED.put("192.0.2.1", AddressClass.PRIVATE);
    EMBEDDED.put("198.51.100.7", AddressClass.PRIVATE);
    EMBEDDED.put("203.0.113.9", AddressClass.PRIVATE);
    EMBEDDED.put("169.254.1.1", AddressClass.LINK_LOCAL_OR_METADATA);
    EMBEDDED.put("169.254.169.254", AddressClass.LINK_LOCAL_OR_METADATA);
  }

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("webhooks go to public addresses only: loopback, private, link-local, CGNAT, ULA and mapped ones are refused")
  void onlyPublicAddresses() throws Exception {
    for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
      "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::")) {
      assertFalse(TargetPolicy.isPublic(InetAddress.getByName(address)), address);
    }
    for (String address : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
      // just outside the reserved blocks
      "192.0.1.255", "192.0.3.0", "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255",
      "203.0.114.0", "223.255.255.255", "100.63.255.255", "100.128.0.0", "1.0.0.0",
      "100:0:0:1::", "2001:db7:ffff:ffff::1", "2001:db9::", "2001:1:ffff::1", "2001:2:1::", "2001:f:ffff::1", "2001:20::",
      "2001:4860:4860::8888", "3fff:1000::", "5f01::", "fbff:ffff::1", "fe00::1")) {
      assertTrue(TargetPolicy.isPublic(InetAddress.getByName(address)), address);
    }
  }

  @Test
  @DisplayName("addresses not routable on the public internet (documentation, benchmarking, discard-only, ORCHID, reserved, broadcast, multicast, unspecified) are private")
  void reservedAddressesArePrivate() throws Exception {
    for (String address : List.of("0.0.0.0", "0.255.255.255", "192.0.0.0", "192.0.0.255", "192.0.2.0", "192.0.2.255", "198.18.0.0",
      "198.19.255.255", "198.51.100.0", "198.51.100.255", "203.0.113.0", "203.0.113.255", "240.0.0.0", "255.255.255.254",
      "255.255.255.255", "224.0.0.1", "239.255.255.255",
      "::", "100::", "100::ffff:ffff:ffff:ffff", "2001:2::", "2001:2:0:ffff::1", "2001:10::", "2001:1f:ffff:ffff::1",
      "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "3fff::1", "3fff:fff::1", "5f00::1", "fc00::1",
      "fdff:ffff::1", "ff00::", "ff02::1", "ff0e::101")) {
      assertEquals(AddressClass.PRIVATE, TargetPolicy.classify(InetAddress.getByName(address)), address);
    }
  }

  @Test
  @DisplayName("every IPv6 transition form is judged by the IPv4 address it embeds: loopback and private ones are private, link-local and metadata ones never allowed")
  void transitionFormsAreJudgedByTheirEmbeddedAddress() throws Exception {
    for (Map.Entry<String, AddressClass> embedded : EMBEDDED.entrySet()) {
      for (InetAddress form : transitionForms(embedded.getKey())) {
        assertEquals(embedded.getValue(), TargetPolicy.classify(form), form.getHostAddress() + " embeds " + embedded.getKey());
      }
    }
    for (InetAddress form : transitionForms("8.8.8.8")) {
      AddressClass expected = isNat64LocalUse(form) ? AddressClass.PRIVATE : AddressClass.PUBLIC;
      assertEquals(expected, TargetPolicy.classify(form), form.getHostAddress() + " embeds 8.8.8.8");
    }
  }

  @Test
  @DisplayName("with private targets off, a URL naming or resolving to a loopback or private address is a 400")
  void refusesPrivateTargets() {
    TargetPolicy policy = new TargetPolicy(vertx, false);
    for (String url : List.of("http://127.0.0.1:8080/h", "http://localhost/h", "http://[::1]/h", "http://169.254.169.254/latest/meta-data",
      "https://10.0.0.5/h", "http://0.0.0.0/h")) {
      assertRefused(policy, url);
    }
    assertNull(refusal(policy, "https://93.184.216.34/h"));
  }

  @Test
  @DisplayName("the issue's transition URLs and every form embedding a non-public address are a 400 with private targets off")
  void refusesTransitionTargets() throws Exception {
    TargetPolicy policy = new TargetPolicy(vertx, false);
    for (String url : List.of("http://[::127.0.0.1]/", "http://[::ffff:0:127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
      "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::]/", "http://[fd00:ec2::254]/")) {
      assertRefused(policy, url);
    }
    for (String embedded : EMBEDDED.keySet()) {
      for (InetAddress form : transitionForms(embedded)) assertRefused(policy, url(form));
    }
    for (InetAddress form : transitionForms("8.8.8.8")) {
      if (isNat64LocalUse(form)) assertRefused(policy, url(form));
      else assertNull(refusal(policy, url(form)), url(form));
    }
  }

  @Test
  @DisplayName("with private targets on, loopback and private addresses are allowed, link-local and metadata ones in any form still a 400")
  void privateTargetsNeverOpenLinkLocalOrMetadata() throws Exception {
    TargetPolicy policy = new TargetPolicy(vertx, true);
    for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://[fe80::1]/", "http://[fd00:ec2::254]/",
      "http://100.100.100.200/latest/meta-data", "http://192.0.0.192/opc/v1/instance/",
      "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/", "http://[::ffff:169.254.169.254]/")) {
      assertRefused(policy, url);
    }
    for (Map.Entry<String, AddressClass> embedded : EMBEDDED.entrySet()) {
      for (InetAddress form : transitionForms(embedded.getKey())) {
        if (embedded.getValue() == AddressClass.LINK_LOCAL_OR_METADATA) assertRefused(policy, url(form));
        else assertNull(refusal(policy, url(form)), url(form));
      }
    }
    assertNull(refusal(policy, "http://127.0.0.1:8080/h"));
    assertNull(refusal(policy, "http://[::127.0.0.1]/"));
  }

  @Test
  @DisplayName("a name resolving to a link-local address is refused even with private targets on")
  void namesResolvingToMetadataAreRefused() {
    TargetPolicy policy = new TargetPolicy(vertx, true, host -> new InetAddress[] {
      InetAddress.getByName("93.184.216.34"), InetAddress.getByName("169.254.169.254")});
    assertRefused(policy, "https://metadata.example/h");
  }

  @Test
  @DisplayName("at connect time the name is resolved and checked again: the attempt gets the checked address, and a name rebound to the metadata service is refused")
  void connectTimeCheckUsesTheCheckedAddress() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    TargetPolicy policy = new TargetPolicy(vertx, false, host -> {
      if (!host.equals("hooks.example")) throw new UnknownHostException(host);
      return new InetAddress[] {InetAddress.getByName(lookups.incrementAndGet() == 1 ? "93.184.216.34" : "169.254.169.254")};
    });
    TargetPolicy.Target target = policy.target("https://hooks.example/h").await();
    assertEquals(InetAddress.getByName("93.184.216.34"), target.address().getAddress());
    assertEquals(443, target.address().getPort());
    assertEquals("hooks.example", target.uri().getHost());
    assertRefused(policy, "https://hooks.example/h");
    assertEquals(2, lookups.get());
    assertRefused(policy, "https://unknown.example/h");
  }

  @Test
  @DisplayName("with private targets on, a name that does not resolve yet may be saved, but an attempt at it is refused")
  void unresolvedNamesWithPrivateTargets() {
    TargetPolicy policy = new TargetPolicy(vertx, true, host -> {
      throw new UnknownHostException(host);
    });
    assertNull(refusal(policy, "https://hooks.example/h"));
    Throwable refused = policy.target("https://hooks.example/h").toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join();
    assertTrue(refused instanceof ServiceError se && se.code().status() == 400, String.valueOf(refused));
    assertRefused(new TargetPolicy(vertx, false, host -> {
      throw new UnknownHostException(host);
    }), "https://hooks.example/h");
  }

  @Test
  @DisplayName("a URL that is not an absolute http(s) URL without credentials is a 400")
  void refusesMalformedUrls() {
    TargetPolicy policy = new TargetPolicy(vertx, true);
    for (String url : List.of("ftp://93.184.216.34/h", "/relative", "http://user:pw@93.184.216.34/h", "http://exa mple/")) {
      assertRefused(policy, url);
    }
    assertRefused(policy, null);
  }

  /** Every IPv4-embedding IPv6 form of {@code ipv4}. */
  private static List<InetAddress> transitionForms(String ipv4) throws UnknownHostException {
    byte[] v4 = InetAddress.getByName(ipv4).getAddress();
    List<InetAddress> forms = new ArrayList<>();
    forms.add(ipv6(new byte[12], v4));                                                          // ::a.b.c.d
    forms.add(ipv6(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff), v4));                       // ::ffff:a.b.c.d
    forms.add(ipv6(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0), v4));                       // ::ffff:0:a.b.c.d
    forms.add(ipv6(bytes(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0), v4));                    // 64:ff9b::a.b.c.d
    forms.add(ipv6(bytes(0, 0x64, 0xff, 0x9b, 0, 1, 0, 0, 0, 0, 0, 0), v4));                    // 64:ff9b:1::a.b.c.d (/96)
    forms.add(InetAddress.getByAddress(bytes(0, 0x64, 0xff, 0x9b, 0, 1, v4[0], v4[1], 0, v4[2], v4[3], 0, 0, 0, 0, 0))); // /48
    forms.add(InetAddress.getByAddress(bytes(0, 0x64, 0xff, 0x9b, 0, 1, 0, 0, 0, v4[0], v4[1], v4[2], v4[3], 0, 0, 0))); // /64
    forms.add(InetAddress.getByAddress(bytes(0x20, 0x02, v4[0], v4[1], v4[2], v4[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)));   // 6to4
    forms.add(InetAddress.getByAddress(bytes(0x20, 0x01, 0, 0, 0x41, 0x37, 0x9e, 0x50, 0x80, 0, 0xf2, 0x27,             // Teredo
      ~v4[0], ~v4[1], ~v4[2], ~v4[3])));
    return forms;
  }

  private static boolean isNat64LocalUse(InetAddress form) {
    byte[] b = form.getAddress();
    return b.length == 16 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0 && b[5] == 1;
  }

  private static InetAddress ipv6(byte[] prefix, byte[] v4) throws UnknownHostException {
    byte[] address = new byte[16];
    System.arraycopy(prefix, 0, address, 0, 12);
    System.arraycopy(v4, 0, address, 12, 4);
    return InetAddress.getByAddress(address);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
    return b;
  }

  private static String url(InetAddress address) {
    String host = address.getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + "/h";
  }

  private static void assertRefused(TargetPolicy policy, String url) {
    Throwable refused = refusal(policy, url);
    assertTrue(refused instanceof ServiceError se && se.code().status() == 400, url + ": " + refused);
  }

  /** Why the policy refused {@code url}, null when it accepted it. */
  private static Throwable refusal(TargetPolicy policy, String url) {
    Future<?> checked = policy.check(url);
    return checked.toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join();
  }
}
