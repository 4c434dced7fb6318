package io.stockroom.platform.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/**
 * A tenant's collection of one record type: the repository names how a record becomes its document and back, and what
 * clients see of it; inserts, reads, changes and pages then hand out records and allow-listed views, never documents.
 */
public class RecordCollection<R> extends ScopedCollection {
  private final Function<R, JsonObject> toDocument;
  private final Function<JsonObject, R> fromDocument;
  private final Function<R, JsonObject> toApi;

  public RecordCollection(MongoClient mongo, String name, String entity, Function<R, JsonObject> toDocument,
                          Function<JsonObject, R> fromDocument, Function<R, JsonObject> toApi) {
    super(mongo, name, entity);
    this.toDocument = toDocument;
    this.fromDocument = fromDocument;
    this.toApi = toApi;
  }

  public Future<R> insertRecord(R record) {
    return insert(toDocument.apply(record)).map(fromDocument);
  }

  /** The record, or NOT_FOUND. */
  public Future<R> record(String tenantId, String id) {
    return get(tenantId, id).map(fromDocument);
  }

  /** {@link #patch}, answering the record after it. */
  public Future<R> changeRecord(String tenantId, String id, JsonObject changes) {
    return patch(tenantId, id, changes).map(fromDocument);
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return toApi.apply(fromDocument.apply(doc));
  }
}
