package io.stockroom.location;

import io.stockroom.platform.cache.ChangeDroppedCache;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
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
    /** A rule stored without a priority list has an empty one. */
    public Rule {
      locationIds = locationIds == null ? List.of() : locationIds;
    }

    /** What clients see (the contract's {@code AllocationRule}): the strategy and the priority list. */
    public JsonObject toApi() {
      return RecordCodec.toApi(this);
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

  /** The tenant's rule as stored: {@code _id} is the tenant's id (the filter of its upsert). */
  private record Stored(String tenantId, Strategy strategy, List<String> locationIds, Instant updatedAt) {
    Rule rule() {
      return new Rule(strategy, locationIds);
    }
  }

  public static final Rule DEFAULT = new Rule(Strategy.PRIORITY, List.of());
  /** Published (cluster-wide) with the tenant id when a tenant's rule changed: cached copies drop it. */
  public static final String CHANGED = "stockroom.location.allocation-rule.changed";
  /** A cached rule is read again after this long even if no change message arrived (messages can be lost). */
  static final long CACHE_MS = 5_000;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final ChangeDroppedCache<Rule> cache;

  private AllocationRules(Vertx vertx, MongoClient mongo, boolean cached) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.cache = cached ? new ChangeDroppedCache<Rule>(CACHE_MS, 10_000).listen(vertx, CHANGED) : null;
  }

  /** Reads and writes the rules (the location service). */
  public static AllocationRules owner(Vertx vertx, MongoClient mongo) {
    return new AllocationRules(vertx, mongo, false);
  }

  /**
   * Reads the rules for placing orders, from a cache: every order needs its tenant's rule, which rarely changes. A
   * change drops the cached copy on every instance at once ({@link #CHANGED}), and no copy is older than
   * {@link #CACHE_MS}.
   */
  public static AllocationRules cached(Vertx vertx, MongoClient mongo) {
    return new AllocationRules(vertx, mongo, true);
  }

  public Future<Rule> get(String tenantId) {
    Rule kept = cache == null ? null : cache.fresh(tenantId);
    if (kept != null) return Future.succeededFuture(kept);
    long readAt = System.currentTimeMillis();
    long changesBefore = cache == null ? 0 : cache.changes();
    return mongo.findOne(COLLECTION, Ops.where(Fields.ID, tenantId), null).map(doc -> {
      Rule rule = doc == null ? DEFAULT : RecordCodec.fromDocument(Stored.class, doc).rule();
      if (cache != null) cache.keep(tenantId, rule, changesBefore, readAt);
      return rule;
    });
  }

  public Future<Rule> set(String tenantId, Rule rule) {
    JsonObject doc = RecordCodec.toDocument(new Stored(tenantId, rule.strategy(), rule.locationIds(), Instant.now()));
    return mongo.updateCollectionWithOptions(COLLECTION, Ops.where(Fields.ID, tenantId), Ops.set(doc), new UpdateOptions().setUpsert(true))
      .onSuccess(done -> vertx.eventBus().publish(CHANGED, tenantId))
      .map(rule);
  }
}
