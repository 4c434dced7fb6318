package io.stockroom.inventory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * Upgrade step (run by {@code migrate}): variants written before the low-stock state was stored on them get their
 * {@code low}, {@code shortfall} and {@code lowAt} fields ({@link StockLevels#lowFields}), which the low-stock lists
 * read. Page by page over the variants without them; each write only applies while the field is still missing, so a
 * unit that wrote the variant meanwhile (and stored its own, newer fields) wins, and a second run finds nothing.
 */
public final class LowStockBackfill {
  private static final int PAGE = 500;

  private final MongoClient mongo;

  public LowStockBackfill(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** @return how many variants got their fields */
  public Future<Long> run() {
    return page(0L);
  }

  private Future<Long> page(long doneSoFar) {
    JsonObject missing = new JsonObject().put("low", new JsonObject().put("$exists", false));
    return mongo.findWithOptions(Variants.COLLECTION, missing, new FindOptions().setLimit(PAGE))
      // a full page of which none could be written (no tenantId: not a variant this service wrote) ends the walk
      .compose(variants -> backfill(variants).compose(done -> variants.size() < PAGE || done == 0
        ? Future.succeededFuture(doneSoFar + done) : page(doneSoFar + done)));
  }

  private Future<Long> backfill(List<JsonObject> variants) {
    List<Future<Long>> writes = variants.stream().map(variant -> mongo.updateCollectionWithOptions(Variants.COLLECTION,
        new JsonObject().put("_id", variant.getValue("_id")).put("tenantId", variant.getString("tenantId"))
          .put("low", new JsonObject().put("$exists", false)),
        new JsonObject().put("$set", StockLevels.lowFields(variant)), new UpdateOptions())
      .map(result -> result.getDocModified())).toList();
    return Future.all(writes).map(all -> writes.stream().mapToLong(Future::result).sum());
  }
}
