package io.stockroom.dashboard;

import io.stockroom.auth.TenantRepository;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;

/**
 * The dashboard's background upkeep, for every tenant with dashboard totals: moves the 30-day sales window to the
 * tenant's today ({@link SalesWindow}). Safe on every instance at once (an idempotent compare-and-set under the
 * tenant's lock).
 */
public final class DashboardSweep {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardSweep.class);
  private static final int TENANTS_PER_SWEEP = 10_000;

  private final MongoClient mongo;
  private final TenantRepository tenants;
  private final SalesWindow window;

  public DashboardSweep(MongoClient mongo, SalesWindow window) {
    this.mongo = mongo;
    this.tenants = new TenantRepository(mongo);
    this.window = window;
  }

  public Future<Void> sweepAll() {
    return mongo.findWithOptions(DashboardProjection.TOTALS, new JsonObject(),
        new FindOptions().setFields(new JsonObject().put("tenantId", 1)).setLimit(TENANTS_PER_SWEEP * DashboardProjection.SHARDS))
      .map(shards -> new LinkedHashSet<>(shards.stream().map(shard -> shard.getString("tenantId")).toList()))
      .compose(tenantIds -> Steps.each(tenantIds, tenantId -> sweep(tenantId).otherwise(err -> {
        LOG.warn("Dashboard upkeep of tenant {} failed (retried next sweep): {}", tenantId, err.toString());
        return null;
      })));
  }

  public Future<Void> sweep(String tenantId) {
    return tenants.find(tenantId).compose(tenant -> {
      if (tenant == null) return Future.succeededFuture();
      ZoneId zone = ZoneId.of(tenant.getString("timezone", "UTC"));
      LocalDate today = LocalDate.ofInstant(Instant.now(), zone);
      LocalDate created = LocalDate.ofInstant(Instant.parse(tenant.getJsonObject("createdAt").getString("$date")), zone);
      return window.advance(tenantId, today, created);
    });
  }
}
