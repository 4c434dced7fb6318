package io.stockroom.auth;

import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's settings that never change after signup (time zone, currency), read through the tenant repository and
 * cached per service: rollups bucket by the tenant's local day, so "today" on the dashboard is the tenant's today.
 */
public final class TenantSettings {
  private record Fixed(ZoneId zone, String currency) {
  }

  private final TenantRepository tenants;
  private final Map<String, Fixed> cache = new ConcurrentHashMap<>();

  public TenantSettings(MongoClient mongo) {
    this.tenants = new TenantRepository(mongo);
  }

  private Future<Fixed> fixed(String tenantId) {
    Fixed cached = cache.get(tenantId);
    if (cached != null) return Future.succeededFuture(cached);
    return tenants.find(tenantId).map(tenant -> {
      Fixed found = tenant == null ? new Fixed(ZoneOffset.UTC, null) : new Fixed(tenant.zone(), tenant.currency());
      if (tenant != null) cache.put(tenantId, found);
      return found;
    });
  }

  public Future<ZoneId> zone(String tenantId) {
    return fixed(tenantId).map(Fixed::zone);
  }

  public Future<String> currency(String tenantId) {
    return fixed(tenantId).map(Fixed::currency);
  }

  /** The tenant's current local date as {@code YYYY-MM-DD}. */
  public Future<String> today(String tenantId) {
    return zone(tenantId).map(zone -> LocalDate.ofInstant(Instant.now(), zone).toString());
  }
}
