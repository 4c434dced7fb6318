package io.stockroom.webhook;


import java.time.Instant;

/** One secret an endpoint's messages are signed with; after a rotation an older one signs until {@code expiresAt}. */
record SigningSecret(String value, Instant createdAt, Instant expiresAt) {

  boolean signsAt(Instant now) {
    return expiresAt == null || expiresAt.isAfter(now);
  }

  /** The same secret, signing at most until {@code end}. */
  SigningSecret endingBy(Instant end) {
    return expiresAt != null ? this : new SigningSecret(value, createdAt, end);
  }
}
