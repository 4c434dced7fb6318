package io.stockroom.platform.schema;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
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
    return new CollectionSpec(name, owner, Ops.where(Fields.TENANT_ID, 1), indexes, retired);
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

  /** What the manifest snapshot shows of a collection: its shard key or {@code unsharded}, and retired indexes if any. */
  record Description(String name, String owner, Object shardKey, JsonArray indexes, List<String> retired) {
  }

  public JsonObject describe() {
    return RecordCodec.toApi(new Description(name, owner, shardKey == null ? "unsharded" : shardKey,
      new JsonArray(indexes.stream().map(IndexSpec::describe).toList()), retired.isEmpty() ? null : retired));
  }
}
