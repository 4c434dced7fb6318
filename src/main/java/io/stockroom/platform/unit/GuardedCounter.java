package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.ScopedCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * A count of dependants kept on a parent document (a product's variants, a supplier's open purchase orders) that
 * makes "delete only while nothing depends on it" one atomic decision: units that add or remove a dependant change
 * the count by {@code $inc} (many units at once, each undone by the opposite increment), and the parent is deleted
 * only by a write whose filter requires the count to be 0. A create racing the delete can never succeed with it.
 */
public final class GuardedCounter {
  private final MongoClient mongo;
  private final ScopedCollection parents;
  private final String counter;

  public GuardedCounter(MongoClient mongo, ScopedCollection parents, String counter) {
    this.mongo = mongo;
    this.parents = parents;
    this.counter = counter;
  }

  /** Inside a unit: {@code delta} dependants more (or fewer); NOT_FOUND when the parent does not exist. */
  public Future<Void> add(Unit unit, String tenantId, String id, long delta) {
    return unit.updateShared(parents.name(), Mongo.byId(tenantId, id),
        Ops.inc(counter, delta), Ops.inc(counter, -delta), false)
      .compose(after -> after == null ? Future.failedFuture(ServiceError.notFound(parents.entity())) : Future.succeededFuture());
  }

  /** Deletes the parent while the count is 0 (or absent); NOT_FOUND when it does not exist, CONFLICT with {@code whyNot}. */
  public Future<Void> deleteWhileZero(String tenantId, String id, String whyNot) {
    JsonObject guarded = Mongo.byId(tenantId, id).put(counter, Ops.in(new JsonArray().add(0).addNull()));
    return mongo.removeDocument(parents.name(), guarded).compose(res -> res != null && res.getRemovedCount() == 1
      ? Future.<Void>succeededFuture()
      : parents.get(tenantId, id).compose(exists -> ServiceError.<Void>fail(ErrorCode.CONFLICT, whyNot)));
  }
}
