package io.stockroom.platform.audit;

import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit log of administrative changes: {_id, tenantId, createdAt, actor, from, requestId, action,
 * target {type, id}, details}. Entries are only ever inserted. An entry is written right after the change it records;
 * if MongoDB fails in between, the change stands and the entry goes to the service log at ERROR instead (failing the
 * request would tell the client a change that was made had not been).
 */
public final class AuditTrail {
  public static final String COLLECTION = "audit_log";
  /** Marks of configuration changes already recorded, so every instance starting with them records each once. */
  public static final String MARKS = "audit_marks";
  /** The tenantId of entries about the whole service (signing keys), shown to every tenant's OWNER. */
  public static final String PLATFORM = "platform";
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final MongoClient mongo;

  public AuditTrail(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> record(AuditEntry entry) {
    JsonObject doc = new JsonObject()
      .put("_id", Mongo.newId())
      .put("tenantId", entry.tenantId())
      .put("createdAt", Mongo.now())
      .put("actor", entry.actor())
      .put("from", entry.from())
      .put("requestId", entry.requestId())
      .put("action", entry.action().name())
      .put("target", new JsonObject().put("type", entry.targetType()).put("id", entry.targetId()))
      .put("details", entry.details());
    return mongo.insert(COLLECTION, doc)
      .recover(err -> mongo.insert(COLLECTION, doc))
      .<Void>mapEmpty()
      .recover(err -> {
        LOG.error("Audit entry not stored ({}): {}", err.getMessage(), doc.encode());
        return Future.succeededFuture();
      });
  }

  /** Records the entry unless an entry with the same {@code mark} was recorded before (by any instance). */
  public Future<Void> recordOnce(String mark, AuditEntry entry) {
    return mongo.insert(MARKS, new JsonObject().put("_id", mark).put("createdAt", Mongo.now()))
      .compose(inserted -> record(entry), err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture()
        : Future.failedFuture(err));
  }

  /** The tenant's entries and the service-wide ones, oldest first, one cursor page at a time. */
  public Future<JsonObject> page(String tenantId, JsonObject query) {
    Page page = Page.from(query);
    JsonObject filter = Mongo.createdBetween(new JsonObject(), query)
      .put("tenantId", new JsonObject().put("$in", new JsonArray().add(tenantId).add(PLATFORM)));
    if (query.getString("action") != null) filter.put("action", query.getString("action"));
    return mongo.findWithOptions(COLLECTION, page.filter(filter), page.findOptions())
      .map(docs -> page.result(docs, doc -> {
        JsonObject api = Mongo.toApi(doc);
        api.put("scope", PLATFORM.equals(doc.getString("tenantId")) ? "PLATFORM" : "TENANT");
        return api;
      }));
  }
}
