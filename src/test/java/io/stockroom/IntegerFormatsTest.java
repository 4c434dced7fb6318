package io.stockroom;

import io.stockroom.platform.contract.OpenApiDocument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generated clients type an integer without a format as 32-bit: every integer of the contract that can pass
 * 2^31 − 1 (no maximum, or a larger one: prices, stock, counts) says {@code format: int64}.
 */
class IntegerFormatsTest {
  private static final long INT32_MAX = Integer.MAX_VALUE;
  /** Integers without a maximum that still cannot pass 2^31 − 1, by what they are. */
  private static final Map<String, String> SMALL_BY_NATURE = Map.of(
    "/components/schemas/Problem/properties/status", "an HTTP status code",
    "/components/responses/TooManyRequests/headers/Retry-After/schema", "seconds to wait, at most minutes",
    "/components/schemas/Session/properties/expiresIn", "an access token's lifetime in seconds",
    "/components/schemas/WebhookDeliveryAttempt/properties/statusCode", "an HTTP status code");

  @Test
  @DisplayName("every integer that can pass 2^31 - 1 is format: int64")
  void largeIntegersAreInt64() throws Exception {
    JsonObject contract = OpenApiDocument.compile(Files.readString(Path.of(OpenApiDocument.PATH))).getJsonObject("document");
    List<String> untyped = new ArrayList<>();
    walk(contract, "", untyped);
    assertEquals(List.of(), untyped, "integers that need format: int64");
  }

  private static void walk(Object node, String path, List<String> untyped) {
    if (node instanceof JsonObject object) {
      if ("integer".equals(object.getValue("type")) && !SMALL_BY_NATURE.containsKey(path)) {
        Number maximum = object.getNumber("maximum");
        boolean large = maximum == null || maximum.longValue() > INT32_MAX;
        if (large && !"int64".equals(object.getString("format"))) untyped.add(path);
      }
      object.forEach(entry -> walk(entry.getValue(), path + "/" + entry.getKey(), untyped));
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) walk(array.getValue(i), path + "[" + i + "]", untyped);
    }
  }
}
