package io.stockroom.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The {@code errors} of a validation problem, written out: pointer, message, pointer, message... */
public final class ProblemErrors {
  private ProblemErrors() {
  }

  public static JsonArray of(String... pointerThenMessage) {
    JsonArray errors = new JsonArray();
    for (int i = 0; i < pointerThenMessage.length; i += 2) {
      errors.add(new JsonObject().put("pointer", pointerThenMessage[i]).put("message", pointerThenMessage[i + 1]));
    }
    return errors;
  }
}
