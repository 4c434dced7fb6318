package io.stockroom.platform.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.AggregateOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * {@link DeadlineCalls} over a client that {@link Storage} did not make (a test's own): the calls go through the Vert.x
 * client with its own fixed limits, and the deadline is not sent.
 */
final class FixedLimitCalls implements DeadlineCalls {
  private final MongoClient mongo;

  FixedLimitCalls(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Void> insert(long deadline, String collection, JsonObject document) {
    return mongo.insert(collection, document).mapEmpty();
  }

  @Override
  public Future<JsonObject> findOneAndUpdate(long deadline, String collection, JsonObject filter, JsonObject update,
                                             JsonObject fields, boolean upsert) {
    return mongo.findOneAndUpdateWithOptions(collection, filter, update, only(fields),
      new UpdateOptions().setUpsert(upsert).setReturningNewDocument(true));
  }

  @Override
  public Future<Boolean> deleteOne(long deadline, String collection, JsonObject filter) {
    return mongo.removeDocument(collection, filter).map(removed -> removed != null && removed.getRemovedCount() == 1);
  }

  @Override
  public Future<List<JsonObject>> find(long deadline, String collection, JsonObject filter, JsonObject fields) {
    return mongo.findWithOptions(collection, filter, only(fields));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Future<List<JsonObject>> aggregate(long deadline, String collection, JsonArray pipeline) {
    return mongo.aggregateWithOptions(collection, pipeline, new AggregateOptions().setBatchSize(AGGREGATE_BATCH)).collect(java.util.stream.Collectors.toList()).map(rows -> (List<JsonObject>) rows);
  }

  private static FindOptions only(JsonObject fields) {
    return fields == null ? new FindOptions() : new FindOptions().setFields(fields);
  }
}
