package io.stockroom.platform.mongo;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.JsonObjectBsonAdapter;
import org.reactivestreams.Publisher;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link DeadlineCalls} on the process's driver client, with the Vert.x client's codec for {@code JsonObject}, so that
 * documents are written and read back exactly as the Vert.x client writes and reads them.
 */
final class DriverDeadlineCalls implements DeadlineCalls {
  private final SharedMongoClient client;

  DriverDeadlineCalls(SharedMongoClient client) {
    this.client = client;
  }

  @Override
  public Future<Void> insert(long deadline, String collection, JsonObject document) {
    long limitMs = limitMs(deadline);
    return call(collection(collection, limitMs).insertOne(document), limitMs).mapEmpty();
  }

  @Override
  public Future<JsonObject> findOneAndUpdate(long deadline, String collection, JsonObject filter, JsonObject update,
                                             JsonObject fields, boolean upsert) {
    FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).upsert(upsert);
    if (fields != null) options.projection(new JsonObjectBsonAdapter(fields));
    long limitMs = limitMs(deadline);
    return call(collection(collection, limitMs).findOneAndUpdate(new JsonObjectBsonAdapter(filter),
      new JsonObjectBsonAdapter(update), options), limitMs);
  }

  @Override
  public Future<Boolean> deleteOne(long deadline, String collection, JsonObject filter) {
    long limitMs = limitMs(deadline);
    return call(collection(collection, limitMs).deleteOne(new JsonObjectBsonAdapter(filter)), limitMs)
      .map(deleted -> deleted != null && deleted.getDeletedCount() == 1);
  }

  @Override
  public Future<List<JsonObject>> find(long deadline, String collection, JsonObject filter, JsonObject fields) {
    long limitMs = limitMs(deadline);
    var query = collection(collection, limitMs).find(new JsonObjectBsonAdapter(filter));
    if (fields != null) query.projection(new JsonObjectBsonAdapter(fields));
    return Publishers.all(context(), query, limitMs);
  }

  @Override
  public Future<List<JsonObject>> aggregate(long deadline, String collection, JsonArray pipeline) {
    long limitMs = limitMs(deadline);
    List<JsonObjectBsonAdapter> stages = pipeline.stream().map(stage -> new JsonObjectBsonAdapter((JsonObject) stage)).toList();
    return Publishers.all(context(), collection(collection, limitMs).aggregate(stages).batchSize(AGGREGATE_BATCH), limitMs);
  }

  private long limitMs(long deadline) {
    return DeadlineCalls.serverLimitMs(deadline, client.timeoutMs(), System.currentTimeMillis());
  }

  /** The collection whose every command gets {@code limitMs} as its operation timeout (the server's maxTimeMS). */
  private MongoCollection<JsonObject> collection(String name, long limitMs) {
    return client.database().getCollection(name, JsonObject.class).withTimeout(limitMs, TimeUnit.MILLISECONDS);
  }

  private <T> Future<T> call(Publisher<T> publisher, long limitMs) {
    return Publishers.last(context(), publisher, limitMs);
  }

  private Context context() {
    return client.vertx().getOrCreateContext();
  }
}
