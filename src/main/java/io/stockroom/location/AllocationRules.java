package io.stockroom.location;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How an order line that names no location is taken from the tenant's locations ({@code allocation_rules},
 * {@code _id: tenantId}): {@code PRIORITY} goes through {@code locationIds} in order, then the default location, then
 * every other location; {@code MOST_AVAILABLE} takes from the location with the most available units first. Either
 * way a line is split across locations when one does not hold enough. Inactive locations are skipped.
 */
public final class AllocationRules {
  public static final String COLLECTION = "allocation_rules";

  public enum Strategy { PRIORITY, MOST_AVAILABLE }

  /** The tenant's rule: a strategy and the priority list (possibly empty). */
  public record Rule(Strategy strategy, List<String> locationIds) {
    public JsonObject toApi() {
      return new JsonObject().put("strategy", strategy.name()).put("locationIds", new JsonArray(locationIds));
    }

    /**
     * The order in which to take from {@code candidates} (location id → units available there), for a tenant whose
     * default location is {@code defaultId}.
     */
    public List<String> order(Map<String, Long> candidates, String defaultId) {
      Comparator<String> byPriority = Comparator.comparingInt((String id) -> {
          int at = locationIds.indexOf(id);
          return at >= 0 ? at : id.equals(defaultId) ? locationIds.size() : locationIds.size() + 1;
        }).thenComparing(Comparator.naturalOrder());
      Comparator<String> comparator = strategy == Strategy.MOST_AVAILABLE
        ? Comparator.comparingLong((String id) -> -candidates.get(id)).thenComparing(byPriority)
        : byPriority;
      List<String> ordered = new ArrayList<>(candidates.keySet());
      ordered.sort(comparator);
      return ordered;
    }
  }

  public static final Rule DEFAULT = new Rule(Strategy.PRIORITY, List.of());

  private final MongoClient mongo;

  public AllocationRules(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Rule> get(String tenantId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", tenantId), null).map(doc -> doc == null ? DEFAULT
      : new Rule(Strategy.valueOf(doc.getString("strategy")),
          doc.getJsonArray("locationIds", new JsonArray()).stream().map(String::valueOf).toList()));
  }

  public Future<Rule> set(String tenantId, Rule rule) {
    JsonObject doc = new JsonObject().put("tenantId", tenantId).put("strategy", rule.strategy().name())
      .put("locationIds", new JsonArray(rule.locationIds())).put("updatedAt", Mongo.now());
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", tenantId),
      new JsonObject().put("$set", doc), new UpdateOptions().setUpsert(true)).map(rule);
  }
}
