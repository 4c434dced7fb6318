package io.stockroom.inventory.kernel;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.unit.Unit;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The write of a document with a lifecycle (an order, a purchase order, a transfer) inside a unit of work. */
public final class StatusChange {
  /** The field every document with a lifecycle keeps its status in. */
  public static final String STATUS = "status";

  private StatusChange() {
  }

  /**
   * Applies {@code set} (stamping {@code updatedAt}) to the document as read under its lock, only if it still has that
   * version and status: a concurrent change, even with a lost lock, makes it a 409 naming the document ({@code what}).
   */
  public static Future<JsonObject> apply(Unit unit, String collection, JsonObject before, JsonObject set, String what) {
    return unit.compareAndSet(collection, before, Ops.where(STATUS, before.getString(STATUS)),
        set.copy().put(Fields.UPDATED_AT, Mongo.now()), null)
      .compose(after -> after == null
        ? ServiceError.fail(ErrorCode.CONFLICT, "The " + what + " changed concurrently; nothing was changed, retry")
        : Future.succeededFuture(after));
  }
}
