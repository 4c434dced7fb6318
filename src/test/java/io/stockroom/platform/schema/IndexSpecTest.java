package io.stockroom.platform.schema;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexSpecTest {
  @Test
  void aDescriptionNamesOnlyTheOptionsThatAreSet() {
    assertEquals("{\"name\":\"expires\",\"keys\":{\"expiresAt\":1},\"expireAfterSeconds\":0}",
      IndexSpec.expiring("expires", "expiresAt").describe().encode());
    assertEquals("{\"name\":\"tenant_id_writer\",\"keys\":{\"tenantId\":1,\"_id\":1,\"writtenBy\":1,\"fence\":1},\"unique\":true,\"standInOnly\":true}",
      IndexSpec.writeIdentity().describe().encode());
    assertEquals("{\"name\":\"c\",\"owner\":\"o\",\"shardKey\":{\"tenantId\":1},\"indexes\":[]}",
      CollectionSpec.of("c", "o").shardedByTenant().describe().encode());
    assertEquals("unsharded", CollectionSpec.of("c", "o").retire("x").describe().getString("shardKey"));
  }

  @Test
  void aListedIndexMatchesWhateverFormItsFlagsTake() {
    IndexSpec unique = IndexSpec.unique("u", "a");
    assertTrue(unique.matches(new JsonObject().put("name", "u").put("key", new JsonObject().put("a", 1.0)).put("unique", 1)));
    assertFalse(unique.matches(new JsonObject().put("name", "u").put("key", new JsonObject().put("a", 1))));
    assertEquals("{\"keys\":{\"a\":1},\"unique\":true}",
      new JsonObject(io.stockroom.platform.mongo.RecordCodec.toApi(IndexSpec.Listed.of(new JsonObject().put("name", "u")
        .put("key", new JsonObject().put("a", 1)).put("unique", true)).describe()).encode()).encode());
  }
}
