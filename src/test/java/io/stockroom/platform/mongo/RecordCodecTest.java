package io.stockroom.platform.mongo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecordCodecTest {
  enum Status { OPEN, CLOSED }

  record Line(String sku, long quantity, BigInteger value) {
  }

  record Doc(@Key("_id") String id, int count, long total, boolean done, Double ratio, Status status, Instant at,
             BigInteger amount, List<Line> lines, Map<String, Long> byLocation, List<String> tags, JsonObject extra) {
  }

  private static final Instant AT = Instant.parse("2026-12-07T08:00:00.123Z");
  private static final Doc DOC = new Doc("a1", 3, 5_000_000_000L, true, 0.5, Status.CLOSED, AT, new BigInteger("123456789012345678901"),
    List.of(new Line("SKU-1", 2, BigInteger.TEN)), Map.of("loc", 7L), List.of("x", "y"), new JsonObject().put("k", 1));

  @Test
  void storedFormUsesBsonDatesDecimalsAndKeys() {
    JsonObject stored = RecordCodec.toDocument(DOC);
    assertEquals("a1", stored.getString("_id"));
    assertFalse(stored.containsKey("id"));
    assertEquals(new JsonObject().put("$date", AT.toString()), stored.getJsonObject("at"));
    assertEquals(new BigDecimal("123456789012345678901"), stored.getValue("amount"));
    assertEquals("CLOSED", stored.getString("status"));
    assertEquals(new BigDecimal(10), stored.getJsonArray("lines").getJsonObject(0).getValue("value"));
    assertEquals(DOC, RecordCodec.fromDocument(Doc.class, stored));
  }

  @Test
  void apiFormUsesTextDatesAndDigitStrings() {
    JsonObject api = RecordCodec.toApi(DOC);
    assertEquals("2026-12-07T08:00:00.123Z", api.getString("at"));
    assertEquals("123456789012345678901", api.getString("amount"));
    assertEquals(new JsonArray().add("x").add("y"), api.getJsonArray("tags"));
    assertEquals(DOC, RecordCodec.api(Doc.class).decode(api));
  }

  @Test
  void nullsAreLeftOutAndMissingKeysDecodeAsEmpty() {
    Doc sparse = new Doc("b", 0, 0, false, null, null, null, null, null, null, null, null);
    JsonObject stored = RecordCodec.toDocument(sparse);
    assertEquals(new JsonObject().put("_id", "b").put("count", 0).put("total", 0L).put("done", false), stored);
    Doc decoded = RecordCodec.fromDocument(Doc.class, new JsonObject().put("_id", "b"));
    assertEquals(sparse, decoded);
    assertNull(decoded.at());
  }

  @Test
  void extendedJsonFromTheTransactionalRunnerDecodes() {
    JsonObject stored = new JsonObject().put("_id", "c").put("amount", new JsonObject().put("$numberDecimal", "42"))
      .put("at", new JsonObject().put("$date", AT.toString()));
    Doc decoded = RecordCodec.fromDocument(Doc.class, stored);
    assertEquals(BigInteger.valueOf(42), decoded.amount());
    assertEquals(AT, decoded.at());
  }

  record Shown(String id, @ExplicitNull String note) {
  }

  @Test
  void explicitNullsAreWrittenAsNull() {
    assertEquals(new JsonObject().put("id", "e").putNull("note"), RecordCodec.toApi(new Shown("e", null)));
    assertEquals(new JsonObject().put("id", "e").put("note", "n"), RecordCodec.toDocument(new Shown("e", "n")));
  }

  @Test
  void unknownEnumNamesAreRefused() {
    assertThrows(IllegalArgumentException.class,
      () -> RecordCodec.fromDocument(Doc.class, new JsonObject().put("_id", "d").put("status", "LOST")));
  }
}
