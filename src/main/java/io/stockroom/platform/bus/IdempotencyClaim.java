package io.stockroom.platform.bus;

import io.stockroom.platform.mongo.Fields;
import io.vertx.core.json.JsonObject;

/**
 * A claimed Idempotency-Key, carried with the request on the service side (never across the bus): the record as
 * inserted (state RUNNING, version 0). The stock kernel completes it inside the unit of work, so the stored answer
 * commits (or rolls back) together with the unit.
 */
public final class IdempotencyClaim {
  private final JsonObject record;
  private boolean completedInUnit;

  public IdempotencyClaim(JsonObject record) {
    this.record = record;
  }

  /** The id of the claimed record: the unit of work that completes it names it, so that recovery can release it. */
  public String id() {
    return record.getString(Fields.ID);
  }

  public JsonObject record() {
    return record;
  }

  public boolean completedInUnit() {
    return completedInUnit;
  }

  public void markCompletedInUnit() {
    completedInUnit = true;
  }
}
