package io.stockroom.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A redis-server (Debian's, built with TLS) that speaks only TLS on loopback, with a CA and a server certificate made
 * by {@code openssl} for this run in a temporary directory (no key is ever committed). The certificate names
 * {@code localhost} and {@code 127.0.0.1}; the server also listens on 127.0.0.2, which it does not name. Without the binaries a test is skipped, unless {@code STOCKROOM_REQUIRE_E2E=1}.
 */
public final class TlsRedis implements AutoCloseable {
  private static final String SERVER = "/usr/bin/redis-server";
  private static final String OPENSSL = "/usr/bin/openssl";

  public final int port;
  public final Path dir;
  private final Process server;

  private TlsRedis(int port, Path dir, Process server) {
    this.port = port;
    this.dir = dir;
    this.server = server;
  }

  /** Skips the calling test (or fails it in CI) without redis-server or openssl. */
  public static void requireBinaries() {
    boolean present = Stream.of(SERVER, OPENSSL).allMatch(b -> new File(b).canExecute());
    String missing = "redis-server (with TLS) and openssl are needed (apt-get install redis-server openssl)";
    if ("1".equals(System.getenv("STOCKROOM_REQUIRE_E2E"))) assertTrue(present, missing);
    else assumeTrue(present, "skipped: " + missing);
  }

  public static TlsRedis start() {
    try {
      Path dir = Files.createTempDirectory("stockroom-redis-tls-");
      TestCertificates.generate(dir);
      int port = TestStack.freeListenPort();
      Process server = new ProcessBuilder(SERVER, "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1 127.0.0.2",
        "--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt",
        "--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      TlsRedis redis = new TlsRedis(port, dir, server);
      Eventually.until("the TLS redis-server listens on " + port, Duration.ofSeconds(10), redis::listening);
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA that signed the server's certificate (PEM). */
  public Path caFile() {
    return dir.resolve("ca.crt");
  }

  /** Another CA's certificate, which did not sign the server's (PEM). */
  public Path otherCaFile() {
    return dir.resolve("other-ca.crt");
  }

  public String uri(String host) {
    return "rediss://" + host + ":" + port;
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    server.destroyForcibly();
    try {
      server.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
