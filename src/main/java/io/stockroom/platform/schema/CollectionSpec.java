package io.stockroom.platform.schema;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One collection as the manifest declares it: the package that owns it, its shard key when the collection grows with
 * the tenants (null: it stays unsharded), its indexes, and the names of indexes it used to have (dropped by migrate).
 */
public record CollectionSpec(String name, String owner, JsonObject shardKey, List<IndexSpec> indexes, List<String> retired) {

  public static CollectionSpec of(String name, String owner) {
    return new CollectionSpec(name, owner, null, List.of(), List.of());
  }

  /** Sharded on {tenantId: 1}: every query of a tenant goes to the shards holding that tenant. */
  public CollectionSpec shardedByTenant() {
    return new CollectionSpec(name, owner, new JsonObject().put("tenantId", 1), indexes, retired);
  }

  public CollectionSpec index(IndexSpec index) {
    List<IndexSpec> more = new ArrayList<>(indexes);
    more.add(index);
    return new CollectionSpec(name, owner, shardKey, List.copyOf(more), retired);
  }

  public CollectionSpec retire(String indexName) {
    List<String> more = new ArrayList<>(retired);
    more.add(indexName);
    return new CollectionSpec(name, owner, shardKey, indexes, List.copyOf(more));
  }

  /** The indexes a server of this kind should have. */
  public List<IndexSpec> indexesFor(boolean standIn) {
    return indexes.stream().filter(index -> standIn || !index.standInOnly()).toList();
  }

  public JsonObject describe() {
    JsonObject description = new JsonObject().put("name", name).put("owner", owner)
      .put("shardKey", shardKey == null ? "unsharded" : shardKey)
      .put("indexes", new JsonArray(indexes.stream().map(IndexSpec::describe).toList()));
    if (!retired.isEmpty()) description.put("retired", new JsonArray(retired));
    return description;
  }
}
