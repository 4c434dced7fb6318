package io.stockroom.platform.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;
import java.util.function.Function;

/**
 * An upgrade walk over the documents an older release left in an older shape: page by page over those matching
 * {@code pending}, each updated under the same condition (by {@code _id} and {@code tenantId}), so a document that
 * was brought up to date meanwhile is left alone and a second walk finds nothing. Run by {@code migrate}.
 */
public final class Backfill {
  private Backfill() {
  }

  /** @return how many documents were updated */
  public static Future<Long> run(MongoClient mongo, String collection, JsonObject pending, int pageSize,
                                 Function<JsonObject, JsonObject> update) {
    return page(mongo, collection, pending, pageSize, update, 0L);
  }

  private static Future<Long> page(MongoClient mongo, String collection, JsonObject pending, int pageSize,
                                   Function<JsonObject, JsonObject> update, long doneSoFar) {
    return mongo.findWithOptions(collection, pending, new FindOptions().setLimit(pageSize))
      .compose(documents -> updateAll(mongo, collection, pending, documents, update)
        // a full page of which none could be updated (a document that cannot be) ends the walk
        .compose(done -> documents.size() < pageSize || done == 0 ? Future.succeededFuture(doneSoFar + done)
          : page(mongo, collection, pending, pageSize, update, doneSoFar + done)));
  }

  private static Future<Long> updateAll(MongoClient mongo, String collection, JsonObject pending, List<JsonObject> documents,
                                        Function<JsonObject, JsonObject> update) {
    List<Future<Long>> writes = documents.stream().map(document -> mongo.updateCollectionWithOptions(collection,
        pending.copy().put("_id", document.getValue("_id")).put("tenantId", document.getString("tenantId")),
        update.apply(document), new UpdateOptions())
      .map(result -> result.getDocModified())).toList();
    return Future.all(writes).map(all -> writes.stream().mapToLong(Future::result).sum());
  }
}
