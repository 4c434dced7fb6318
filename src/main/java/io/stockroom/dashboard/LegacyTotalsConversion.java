package io.stockroom.dashboard;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * Upgrade step (run by {@code migrate}): totals shards written before the totals kept counters only still hold the
 * per-variant maps {@code low.<variantId>}, {@code lowAt.<locationId>.<variantId>} and the top-seller candidates. Each
 * such shard gets the sizes of its maps added to {@code lowCount} and {@code lowCountAt.<locationId>} ({@code $inc},
 * so counts units added meanwhile stay), and the maps removed, in one update that applies only while the maps are
 * there: a second run finds nothing. Run it while no instance of the older release writes the maps.
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
    return page(0L);
  }

  private Future<Long> page(long doneSoFar) {
    JsonObject legacy = new JsonObject().put("low", new JsonObject().put("$exists", true));
    return mongo.findWithOptions(DashboardProjection.TOTALS, legacy, new FindOptions().setLimit(PAGE))
      .compose(shards -> convert(shards).compose(done -> shards.size() < PAGE || done == 0
        ? Future.succeededFuture(doneSoFar + done) : page(doneSoFar + done)));
  }

  private Future<Long> convert(List<JsonObject> shards) {
    List<Future<Long>> writes = shards.stream().map(shard -> mongo.updateCollectionWithOptions(DashboardProjection.TOTALS,
        new JsonObject().put("_id", shard.getValue("_id")).put("tenantId", shard.getString("tenantId"))
          .put("low", new JsonObject().put("$exists", true)),
        update(shard), new UpdateOptions())
      .map(result -> result.getDocModified())).toList();
    return Future.all(writes).map(all -> writes.stream().mapToLong(Future::result).sum());
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
