package io.stockroom.dashboard;

import io.stockroom.platform.mongo.Backfill;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * Upgrade step (run by {@code migrate}): totals shards written before the totals kept counters only still hold the
 * per-variant maps {@code low.<variantId>}, {@code lowAt.<locationId>.<variantId>} and the top-seller candidates. Each
 * such shard gets the sizes of its maps added to {@code lowCount} and {@code lowCountAt.<locationId>} ({@code $inc},
 * so what units counted meanwhile stays) and the maps removed, in one update that applies only while the maps are
 * there. Run it while no instance of the older release writes the maps.
 */
public final class LegacyTotalsConversion {
  private static final int PAGE = 200;
  private static final List<String> LEGACY = List.of("low", "lowAt", "top", "topFloor");

  private final MongoClient mongo;

  public LegacyTotalsConversion(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** @return how many shards were converted */
  public Future<Long> run() {
    return Backfill.run(mongo, DashboardProjection.TOTALS, new JsonObject().put("low", new JsonObject().put("$exists", true)), PAGE,
      LegacyTotalsConversion::update);
  }

  static JsonObject update(JsonObject shard) {
    JsonObject inc = new JsonObject().put("lowCount", (long) shard.getJsonObject("low", new JsonObject()).size());
    shard.getJsonObject("lowAt", new JsonObject()).forEach(location ->
      inc.put("lowCountAt." + location.getKey(), (long) ((JsonObject) location.getValue()).size()));
    JsonObject unset = new JsonObject();
    LEGACY.forEach(field -> unset.put(field, ""));
    return new JsonObject().put("$inc", inc).put("$unset", unset);
  }
}
