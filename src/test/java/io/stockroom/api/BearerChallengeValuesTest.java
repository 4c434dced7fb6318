package io.stockroom.api;

import io.stockroom.auth.InvalidToken;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BearerChallengeValuesTest {
  @Test
  @DisplayName("error_description stays a valid quoted-string: quotes, backslashes, control and non-ASCII characters become spaces")
  void quotable() {
    assertEquals("Bearer realm=\"stockroom\", error=\"invalid_token\", error_description=\"a  b  c d e\"",
      BearerChallenge.of(InvalidToken.refused("a\"\\b\r\nc\td\u00e9e")));
  }

  @Test
  @DisplayName("only a refused token names an error; an expired one says so")
  void shapes() {
    assertEquals("Bearer realm=\"stockroom\"", BearerChallenge.of(new ServiceError(ErrorCode.UNAUTHORIZED, "Invalid email or password")));
    assertEquals("Bearer realm=\"stockroom\", error=\"invalid_token\", error_description=\"The access token expired\"",
      BearerChallenge.of(InvalidToken.expired()));
  }
}
