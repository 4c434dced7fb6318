package io.stockroom.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** Tenants: {_id, name, currency (ISO 4217), timezone (IANA), createdAt}. Looked up by _id only. */
public class TenantRepository {
  public static final String COLLECTION = "tenants";

  private final MongoClient mongo;

  public TenantRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> insert(JsonObject tenant) {
    return mongo.insert(COLLECTION, tenant).mapEmpty();
  }

  public Future<Void> delete(String tenantId) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", tenantId)).mapEmpty();
  }

  /** @return the tenant, or null */
  public Future<JsonObject> find(String tenantId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", tenantId), null);
  }
}
