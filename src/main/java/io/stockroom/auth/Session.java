package io.stockroom.auth;

import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/** A signed-in user's tokens (the contract's {@code Session}): a short-lived access token and a single-use refresh token. */
public record Session(String accessToken, int expiresIn, String refreshToken, User user) {

  static final String TOKEN_TYPE = "Bearer";

  public JsonObject toApi() {
    return RecordCodec.toApi(view());
  }

  View view() {
    return new View(accessToken, TOKEN_TYPE, expiresIn, refreshToken, user.view());
  }

  /** The contract's {@code Session}. */
  record View(String accessToken, String tokenType, int expiresIn, String refreshToken, User.View user) {
  }

  @Override
  public String toString() {
    return "Session[" + user + "]";
  }
}
