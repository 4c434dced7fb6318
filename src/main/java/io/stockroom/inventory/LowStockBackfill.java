package io.stockroom.inventory;

import io.stockroom.platform.mongo.Backfill;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Upgrade step (run by {@code migrate}): variants written before the low-stock state was stored on them get their
 * {@code low}, {@code shortfall} and {@code lowAt} fields ({@link StockLevels#lowFields}), which the low-stock lists
 * read. A unit that writes such a variant meanwhile stores its own, newer fields, and the backfill then leaves it.
 */
public final class LowStockBackfill {
  private static final int PAGE = 500;

  private final MongoClient mongo;

  public LowStockBackfill(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** @return how many variants got their fields */
  public Future<Long> run() {
    return Backfill.run(mongo, Variants.COLLECTION, new JsonObject().put("low", new JsonObject().put("$exists", false)), PAGE,
      variant -> new JsonObject().put("$set", StockLevels.lowFields(variant)));
  }
}
