package io.stockroom.api;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written Authorization check accepts exactly what the regular expression it replaced accepts. */
class RequestGuardTest {
  private static final Pattern BEARER_JWT = Pattern.compile("^Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");

  @Test
  @DisplayName("Bearer <jwt>: the same verdict as the regular expression, for chosen and for 20,000 random headers")
  void sameVerdictAsTheExpression() {
    List<String> headers = new ArrayList<>(List.of("Bearer a.b.c", "Bearer a.b.", "Bearer .b.c", "Bearer a..c", "Bearer a.b",
      "Bearer a.b.c.d", "Bearer ", "Bearer", "bearer a.b.c", "Bearer  a.b.c", "Bearer a.b.c ", "Basic a.b.c", "Bearer a+b.c.d",
      "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "Bearer a.b.c\n", "Bearer ä.b.c", "Bearer a_-.B9.z_", ""));
    Random random = new Random(42);
    String valid = "aZ09_-";
    String invalid = ".+/= \tä";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder header = new StringBuilder(random.nextInt(20) == 0 ? "Bearr " : "Bearer ");
      int parts = 1 + random.nextInt(4);
      for (int part = 0; part < parts; part++) {
        if (part > 0) header.append('.');
        for (int n = random.nextInt(4); n > 0; n--) {
          header.append(random.nextInt(15) == 0 ? invalid.charAt(random.nextInt(invalid.length())) : valid.charAt(random.nextInt(valid.length())));
        }
      }
      headers.add(header.toString());
    }
    int accepted = 0;
    for (String header : headers) {
      boolean expected = BEARER_JWT.matcher(header).matches();
      assertEquals(expected, RequestGuard.isBearerJwt(header), "[" + header + "]");
      if (expected) accepted++;
    }
    assertEquals(true, accepted > 100, "accepted headers among the samples: " + accepted);
  }
}
