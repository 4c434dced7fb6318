package io.stockroom.platform.mongo;

import java.util.ArrayList;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * A collection whose documents each belong to one tenant. Every operation takes the caller's tenantId and puts it in
 * the filter, so another tenant's id simply matches nothing (404), for every verb.
 *
 * <p>Failure modes: {@link ServiceError} NOT_FOUND when the id does not exist in the tenant, DUPLICATE when a unique
 * index rejects a write; anything else is a storage failure propagated as is.
 */
public class ScopedCollection {
  protected final MongoClient mongo;
  /** Reads bounded by their caller's deadline (its maxTimeMS is what is left of it). */
  protected final DeadlineCalls bounded;
  protected final String name;
  private final String entity;

  public ScopedCollection(MongoClient mongo, String name, String entity) {
    this.mongo = mongo;
    this.bounded = DeadlineCalls.of(mongo);
    this.name = name;
    this.entity = entity;
  }

  public String name() {
    return name;
  }

  /** What a document of this collection is called in answers ("Product"). */
  public String entity() {
    return entity;
  }

  /** Inserts a document already carrying _id and tenantId. */
  public Future<JsonObject> insert(JsonObject doc) {
    return mongo.insert(name, doc)
      .map(id -> doc)
      .recover(err -> Future.failedFuture(insertFailure(doc, err)));
  }

  /** What a failed insert of {@code doc} fails with: DUPLICATE for a unique index, the error itself otherwise. */
  public Throwable insertFailure(JsonObject doc, Throwable err) {
    return Mongo.isDuplicateKey(err) ? new ServiceError(ErrorCode.DUPLICATE, entity + " already exists" + duplicateHint(doc)) : err;
  }

  /** The scoped document, or NOT_FOUND. */
  public Future<JsonObject> get(String tenantId, String id) {
    return mongo.findOne(name, Mongo.byId(tenantId, id), null)
      .compose(doc -> doc == null ? Future.failedFuture(ServiceError.notFound(entity)) : Future.succeededFuture(doc));
  }

  /** {@link #get}, ending on the server by {@code deadline} (epoch ms). */
  public Future<JsonObject> get(String tenantId, String id, long deadline) {
    return bounded.find(deadline, name, Mongo.byId(tenantId, id), null)
      .compose(docs -> docs.isEmpty() ? Future.failedFuture(ServiceError.notFound(entity)) : Future.succeededFuture(docs.get(0)));
  }

  /** One page of the tenant's documents matching {@code filter} (tenantId is added here). */
  public Future<JsonObject> page(String tenantId, JsonObject filter, Page page) {
    JsonObject scoped = page.filter(filter.copy().put(Fields.TENANT_ID, tenantId));
    return mongo.findWithOptions(name, scoped, page.findOptions())
      .map(docs -> page.result(docs, this::view));
  }

  /** A document as clients see it in pages; collections with internal fields leave those out here. */
  protected JsonObject view(JsonObject doc) {
    return Mongo.toApi(doc);
  }

  /**
   * Applies a partial update: keys with null values are removed, others set; {@code updatedAt} is stamped.
   * @return the updated document, or NOT_FOUND
   */
  public Future<JsonObject> patch(String tenantId, String id, JsonObject changes) {
    JsonObject set = Ops.where(Fields.UPDATED_AT, Mongo.now());
    List<String> unset = new ArrayList<>();
    changes.forEach(e -> {
      if (e.getValue() == null) unset.add(e.getKey());
      else set.put(e.getKey(), e.getValue());
    });
    JsonObject update = unset.isEmpty() ? Ops.set(set) : Ops.merge(Ops.set(set), Ops.unset(unset.toArray(String[]::new)));
    return mongo.findOneAndUpdateWithOptions(name, Mongo.byId(tenantId, id), update, new FindOptions(),
        new UpdateOptions().setReturningNewDocument(true))
      .recover(err -> Future.failedFuture(Mongo.isDuplicateKey(err)
        ? new ServiceError(ErrorCode.DUPLICATE, entity + " already exists" + duplicateHint(changes))
        : err))
      .compose(doc -> doc == null ? Future.failedFuture(ServiceError.notFound(entity)) : Future.succeededFuture(doc));
  }

  /** Deletes the scoped document; NOT_FOUND when nothing matched. */
  public Future<Void> delete(String tenantId, String id) {
    return mongo.removeDocument(name, Mongo.byId(tenantId, id))
      .compose(res -> res != null && res.getRemovedCount() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(ServiceError.notFound(entity)));
  }

  /** Overridden where a unique field should be named in the 409 detail. */
  protected String duplicateHint(JsonObject doc) {
    return "";
  }
}
