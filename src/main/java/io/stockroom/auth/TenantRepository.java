package io.stockroom.auth;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

/** The {@code tenants} collection: {@link Tenant}s ({_id, name, currency, timezone, createdAt}), looked up by _id only. */
public class TenantRepository {
  public static final String COLLECTION = "tenants";

  private final MongoClient mongo;

  public TenantRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> insert(Tenant tenant) {
    return mongo.insert(COLLECTION, tenant.toDocument()).mapEmpty();
  }

  Future<Void> delete(String tenantId) {
    return mongo.removeDocument(COLLECTION, Ops.where(Fields.ID, tenantId)).mapEmpty();
  }

  /** @return the tenant, or null */
  /** The id of every tenant (a start-time data migration walks them). */
  public Future<java.util.List<String>> ids() {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setFields(Ops.only(Fields.ID)))
      .map(tenants -> tenants.stream().map(tenant -> tenant.getString(Fields.ID)).toList());
  }

  public Future<Tenant> find(String tenantId) {
    return mongo.findOne(COLLECTION, Ops.where(Fields.ID, tenantId), null).map(doc -> doc == null ? null : Tenant.fromDocument(doc));
  }
}
