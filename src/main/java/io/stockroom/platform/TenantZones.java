package io.stockroom.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's time zone (set at signup, never changed), cached per service: rollups bucket by the tenant's local
 * day, so "today" on the dashboard is the tenant's today.
 */
public final class TenantZones {
  private final MongoClient mongo;
  private final Map<String, ZoneId> cache = new ConcurrentHashMap<>();

  public TenantZones(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<ZoneId> zone(String tenantId) {
    ZoneId cached = cache.get(tenantId);
    if (cached != null) return Future.succeededFuture(cached);
    return mongo.findOne("tenants", new JsonObject().put("_id", tenantId), new JsonObject().put("timezone", 1))
      .map(tenant -> {
        ZoneId zone = tenant == null || tenant.getString("timezone") == null ? ZoneOffset.UTC : ZoneId.of(tenant.getString("timezone"));
        cache.put(tenantId, zone);
        return zone;
      });
  }

  /** The tenant's current local date as {@code YYYY-MM-DD}. */
  public Future<String> today(String tenantId) {
    return zone(tenantId).map(zone -> LocalDate.ofInstant(Instant.now(), zone).toString());
  }
}
