package io.stockroom.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificates made by {@code openssl} for one test run, never committed: in a directory, {@code ca.crt} (a CA),
 * {@code server.crt}/{@code server.key} (signed by it, naming localhost and 127.0.0.1) and {@code other-ca.crt} (a CA that
 * signed nothing here).
 */
public final class TestCertificates {
  private static final String OPENSSL = "/usr/bin/openssl";

  private TestCertificates() {
  }

  public static void generate(Path dir) throws IOException {
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    String ec = "ec:" + dir.resolve("p256.pem");
    run(dir, OPENSSL, "ecparam", "-name", "prime256v1", "-out", "p256.pem");
    run(dir, OPENSSL, "req", "-x509", "-newkey", ec, "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
      "-subj", "/CN=Stockroom test CA");
    run(dir, OPENSSL, "req", "-x509", "-newkey", ec, "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2",
      "-subj", "/CN=Some other CA");
    run(dir, OPENSSL, "req", "-newkey", ec, "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
    run(dir, OPENSSL, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
      "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
  }

  private static void run(Path dir, String... command) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, () -> List.of(command) + ":\n" + output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
