package io.stockroom.bulk;

import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExportRowTest {

  @Test
  @DisplayName("a movement's row: its columns in order, CSV cells neutralised, the JSON line with every column, nulls included")
  void movement() {
    JsonObject stored = new JsonObject().put("_id", "m1").put("createdAt", new JsonObject().put("$date", "2026-01-02T03:04:05.12Z"))
      .put("variantId", "v1").put("sku", "S-1").put("type", "ADJUSTMENT").put("to", "AVAILABLE").put("quantity", -1L)
      .put("stockAfter", 4L).put("sequence", 2L).put("source", new JsonObject().put("kind", "ADJUSTMENT").put("id", "a1"))
      .put("actor", "u1").put("reason", "=cmd");
    ExportRow.Movement row = RecordCodec.fromDocument(ExportRow.StoredMovement.class, stored).row("t1");
    assertEquals(List.of("id", "createdAt", "variantId", "sku", "type", "locationId", "from", "to", "units", "quantity", "stockAfter",
      "sequence", "sourceKind", "sourceId", "actor", "reason"), ExportRow.columns(ExportRow.Movement.class));
    assertEquals("m1,2026-01-02T03:04:05.12Z,v1,S-1,ADJUSTMENT,t1,,AVAILABLE,1,-1,4,2,ADJUSTMENT,a1,u1,'=cmd", row.csv());
    assertEquals("{\"id\":\"m1\",\"createdAt\":\"2026-01-02T03:04:05.12Z\",\"variantId\":\"v1\",\"sku\":\"S-1\",\"type\":\"ADJUSTMENT\","
      + "\"locationId\":\"t1\",\"from\":null,\"to\":\"AVAILABLE\",\"units\":1,\"quantity\":-1,\"stockAfter\":4,\"sequence\":2,"
      + "\"sourceKind\":\"ADJUSTMENT\",\"sourceId\":\"a1\",\"actor\":\"u1\",\"reason\":\"=cmd\"}", row.ndjson());
  }

  @Test
  @DisplayName("a variant's row: one attr.<name> column per attribute name, the JSON line with the attributes as an object")
  void variant() {
    ExportRow.Variant row = new ExportRow.Variant(null, "p1", "v1", "S-1", 1200L, 0, 5, 5, 0, new JsonObject().put("color", "red, dark"));
    assertEquals(List.of("product", "productId", "variantId", "sku", "price", "reorderLevel", "stock", "available", "incoming",
      "attr.color", "attr.size"), ExportRow.Variant.columns(List.of("color", "size")));
    assertEquals(",p1,v1,S-1,1200,0,5,5,0,\"red, dark\",", row.csv(List.of("color", "size")));
    assertEquals("{\"product\":null,\"productId\":\"p1\",\"variantId\":\"v1\",\"sku\":\"S-1\",\"price\":1200,\"reorderLevel\":0,"
      + "\"stock\":5,\"available\":5,\"incoming\":0,\"attributes\":{\"color\":\"red, dark\"}}", row.ndjson());
  }
}
