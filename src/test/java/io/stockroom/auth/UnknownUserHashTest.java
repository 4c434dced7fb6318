package io.stockroom.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnknownUserHashTest {

  @Test
  @DisplayName("an unknown user is checked against a well-formed hash of the configured cost that no password matches")
  void unmatchableHashCostsARealCheck() throws Exception {
    String hash = PasswordHasher.unmatchableHash(6);
    BCrypt.HashData parsed = BCrypt.Version.VERSION_2B.parser.parse(hash.getBytes(StandardCharsets.US_ASCII));
    assertEquals(6, parsed.cost, "the configured cost, so the check spends what a known user's does");
    assertEquals(16, parsed.rawSalt.length);
    BCrypt.Result result = BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2B))
      .verify("any password".toCharArray(), hash);
    assertTrue(result.validFormat, "a malformed hash would be refused before any bcrypt work");
    assertFalse(result.verified);
    assertNotEquals(hash, PasswordHasher.unmatchableHash(6), "a fresh random salt and digest each time");
  }
}
