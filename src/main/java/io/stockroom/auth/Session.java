package io.stockroom.auth;

import io.vertx.core.json.JsonObject;

/** A signed-in user's tokens (the contract's {@code Session}): a short-lived access token and a single-use refresh token. */
public record Session(String accessToken, int expiresIn, String refreshToken, User user) {

  public JsonObject toApi() {
    return new JsonObject().put("accessToken", accessToken).put("tokenType", "Bearer").put("expiresIn", expiresIn)
      .put("refreshToken", refreshToken).put("user", user.toApi());
  }

  @Override
  public String toString() {
    return "Session[" + user + "]";
  }
}
