package io.stockroom.support;

import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on problem+json error bodies. */
public final class Problems {
  private Problems() {
  }

  public static JsonObject assertProblem(Res res, int status) {
    assertEquals(status, res.status(), res::toString);
    assertTrue(res.contentType() != null && res.contentType().startsWith("application/problem+json"),
      () -> "content type " + res.contentType() + " for " + res);
    JsonObject body = res.json();
    assertEquals(status, body.getInteger("status"), res::toString);
    assertNotNull(body.getString("type"), res::toString);
    assertNotNull(body.getString("title"), res::toString);
    assertNotNull(body.getString("detail"), res::toString);
    return body;
  }
}
