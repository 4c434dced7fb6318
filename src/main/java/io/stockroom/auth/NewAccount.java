package io.stockroom.auth;

import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** Who a new user is and the password it chose: the contract's {@code UserCreate}, and the owner of a sign-up. */
public record NewAccount(String email, String name, String password) {
  public NewAccount {
    email = normaliseEmail(email);
    name = name.trim();
  }

  static NewAccount from(JsonObject body) {
    return RecordCodec.api(NewAccount.class).decode(body);
  }

  /** Emails are unique per tenant and looked up in this form. */
  static String normaliseEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "NewAccount[name=" + name + "]";
  }
}
