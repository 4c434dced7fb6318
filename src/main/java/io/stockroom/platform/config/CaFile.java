package io.stockroom.platform.config;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * A PEM file of CA certificates named by a setting ({@code redis.tls.caFile}, {@code mongo.tls.caFile}): the
 * certificates a managed service's server certificate must chain to. Read at start; a missing or unreadable file, or
 * one without a certificate, stops the start with a {@link ConfigException} naming the setting.
 */
public final class CaFile {
  private CaFile() {
  }

  /** The certificates of the file {@code key} names (which must not be empty). */
  public static List<Certificate> certificates(Settings settings, ConfigKey key) {
    Path path = Path.of(settings.string(key));
    String where = key.key() + " (env " + key.envName() + ") " + path;
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigException(where + ": no readable file there (a PEM file of the CA certificates that sign the server's certificate)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      List<Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certificates.isEmpty()) throw new ConfigException(where + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      return certificates;
    } catch (CertificateException e) {
      throw new ConfigException(where + ": not a PEM certificate file (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new ConfigException(where + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** A TLS context that trusts exactly the certificates of the file {@code key} names. */
  public static SSLContext sslContext(Settings settings, ConfigKey key) {
    List<Certificate> certificates = certificates(settings, key);
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (int i = 0; i < certificates.size(); i++) trusted.setCertificateEntry("ca-" + i, certificates.get(i));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(key.key() + " (env " + key.envName() + "): cannot build a TLS context (" + e.getMessage() + ")");
    }
  }
}
